class Stack
  attr_reader :size

  def initialize
    @items = []
    @size = 0
  end

  def push(value)
    @items.push(value)
    @size += 1
    self
  end

  def pop
    return nil if @items.empty?

    @size -= 1
    @items.pop
  end

  def empty?
    @size.zero?
  end
end

s = Stack.new
s.push(1).push(2)
puts s.pop
