function isPrime(n: number): boolean {
  if (n < 2) {
    return false;
  }
  for (let d = 2; d * d <= n; d++) {
    if (n % d === 0) {
      return false;
    }
  }
  return true;
}

export function primesBelow(limit: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < limit; k++) {
    if (isPrime(k)) {
      out.push(k);
    }
  }
  return out;
}
