class InsufficientFunds < StandardError
end

class Account
  attr_reader :balance

  def initialize(owner, balance = 0)
    @owner = owner
    @balance = balance
  end

  def deposit(amount)
    raise ArgumentError, "amount must be positive" unless amount.positive?

    @balance += amount
  end

  def withdraw(amount)
    if amount > @balance
      raise InsufficientFunds, "only #{@balance} left"
    end

    @balance -= amount
  end

  def to_s
    "#{@owner}: #{@balance}"
  end
end

acct = Account.new("ada", 10)
acct.deposit(5)
begin
  acct.withdraw(100)
rescue InsufficientFunds => e
  puts e.message
end
puts acct
