function wordCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of text.toLowerCase().split(/\s+/)) {
    if (word.length === 0) {
      continue;
    }
    counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}

const result = wordCounts("the cat and the hat");
for (const [word, count] of result) {
  console.log(`${word}: ${count}`);
}
