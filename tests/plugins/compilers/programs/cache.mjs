import { createHash } from 'node:crypto';
import path from 'node:path';

export const DEFAULT_TTL = 60;

export class Cache {
  constructor(ttl = DEFAULT_TTL) {
    this.ttl = ttl;
    this.entries = new Map();
  }

  key(value) {
    return createHash('sha256').update(JSON.stringify(value)).digest('hex');
  }

  get(value, now = Date.now()) {
    const hit = this.entries.get(this.key(value));
    if (hit === undefined || now - hit.at > this.ttl * 1000) {
      return undefined;
    }
    return hit.data;
  }

  set(value, data, now = Date.now()) {
    this.entries.set(this.key(value), { data, at: now });
  }
}

export default function cacheFile(dir, name) {
  return path.join(dir, `${name}.cache`);
}

const shared = new Cache();
await Promise.resolve(shared);
