type Currency = "EUR" | "USD";

interface Entry {
  id: number;
  amount: number;
  currency: Currency;
  note?: string;
}

export class Ledger<T extends Entry> {
  private entries: T[] = [];

  constructor(private readonly owner: string) {}

  add(entry: T): this {
    if (entry.amount === 0) {
      throw new Error(`empty entry for ${this.owner}`);
    }
    this.entries.push(entry);
    return this;
  }

  total(currency: Currency): number {
    let sum = 0;
    for (const e of this.entries) {
      if (e.currency === currency) {
        sum += e.amount;
      }
    }
    return sum;
  }
}

enum Level {
  Low = 1,
  High,
}

function classify(amount: number): Level {
  return amount > 100 ? Level.High : Level.Low;
}

const ledger = new Ledger<Entry>("café");
ledger.add({ id: 1, amount: 120, currency: "EUR" });
console.log(classify(ledger.total("EUR")));
