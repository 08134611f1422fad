const memo = new Map<number, bigint>();

function fib(n: number): bigint {
  if (n < 2) {
    return BigInt(n);
  }
  const cached = memo.get(n);
  if (cached !== undefined) {
    return cached;
  }
  const value = fib(n - 1) + fib(n - 2);
  memo.set(n, value);
  return value;
}

console.log(fib(50).toString());
