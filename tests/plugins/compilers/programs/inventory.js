'use strict';
const fs = require('fs');

class Inventory {
  #items = new Map();

  add(name, count = 1) {
    const current = this.#items.get(name) ?? 0;
    this.#items.set(name, current + count);
    return this;
  }

  *entries() {
    for (const [name, count] of this.#items) {
      yield `${name}: ${count}`;
    }
  }

  static async load(path) {
    const text = await fs.promises.readFile(path, 'utf8');
    const inv = new Inventory();
    for (const line of text.split('\n')) {
      const [name, count] = line.split(',');
      if (!name) continue;
      inv.add(name, Number(count));
    }
    return inv;
  }
}

module.exports = { Inventory };
