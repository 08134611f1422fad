def palindrome?(text)
  letters = text.downcase.gsub(/[^a-z0-9]/, "")
  left = 0
  right = letters.length - 1
  until left >= right
    return false unless letters[left] == letters[right]

    left += 1
    right -= 1
  end
  true
end

["racecar", "A man, a plan", "abba"].each do |t|
  puts "#{t}: #{palindrome?(t)}"
end
