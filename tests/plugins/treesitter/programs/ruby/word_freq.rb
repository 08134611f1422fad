def word_frequencies(text)
  counts = Hash.new(0)
  text.downcase.scan(/[a-z']+/) do |word|
    counts[word] += 1
  end
  counts.sort_by { |word, count| [-count, word] }
end

word_frequencies("the cat and the hat").each do |word, count|
  puts "#{word}: #{count}"
end
