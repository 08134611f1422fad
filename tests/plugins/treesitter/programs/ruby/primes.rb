def prime?(n)
  return false if n < 2

  (2..Math.sqrt(n).to_i).each do |d|
    return false if (n % d).zero?
  end
  true
end

def primes_below(limit)
  result = []
  limit.times do |k|
    result << k if prime?(k)
  end
  result
end

p primes_below(30)
