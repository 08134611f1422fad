function groupBy<T, K extends string | number>(items: T[], key: (item: T) => K): Record<K, T[]> {
  const out = {} as Record<K, T[]>;
  for (const item of items) {
    const k = key(item);
    if (!(k in out)) {
      out[k] = [];
    }
    out[k].push(item);
  }
  return out;
}

const words = ["apple", "avocado", "banana", "blueberry", "cherry"];
const byLetter = groupBy(words, (w) => w[0]);
console.log(Object.keys(byLetter).length);
