def encode(text)
  return "" if text.empty?

  out = []
  current = text[0]
  count = 0
  text.each_char do |ch|
    if ch == current
      count += 1
    else
      out << "#{count}#{current}"
      current = ch
      count = 1
    end
  end
  out << "#{count}#{current}"
  out.join
end

puts encode("aaabccdddd")
