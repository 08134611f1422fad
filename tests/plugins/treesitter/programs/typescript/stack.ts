class Stack<T> {
  private items: T[] = [];

  push(value: T): this {
    this.items.push(value);
    return this;
  }

  pop(): T | undefined {
    return this.items.pop();
  }

  get size(): number {
    return this.items.length;
  }
}

const s = new Stack<number>();
s.push(1).push(2);
console.log(s.pop(), s.size);
