def binary_search(values, target)
  low = 0
  high = values.length - 1
  while low <= high
    mid = (low + high) / 2
    case values[mid] <=> target
    when 0
      return mid
    when -1
      low = mid + 1
    else
      high = mid - 1
    end
  end
  nil
end

puts binary_search([1, 3, 5, 7, 9], 7)
