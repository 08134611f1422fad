def fib(n, memo = {})
  return n if n < 2

  memo[n] ||= fib(n - 1, memo) + fib(n - 2, memo)
end

10.times { |i| print fib(i), " " }
puts
