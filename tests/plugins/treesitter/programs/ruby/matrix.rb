module Matrix2
  def self.transpose(rows)
    return [] if rows.empty?

    cols = rows.first.length
    (0...cols).map do |j|
      rows.map { |row| row[j] }
    end
  end

  def self.multiply(a, b)
    bt = transpose(b)
    a.map do |row|
      bt.map do |col|
        row.zip(col).sum { |x, y| x * y }
      end
    end
  end
end

p Matrix2.multiply([[1, 2], [3, 4]], [[5, 6], [7, 8]])
