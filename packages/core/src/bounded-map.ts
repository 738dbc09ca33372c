/**
 * A Map that holds at most `limit` entries: setting a new key when full first drops the oldest one. The one
 * eviction rule of core's per-process caches (the emitter's plain-scalar answers and emitted documents, the
 * policy's nested texts and credential keys): a miss only costs the work the cache saves.
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(readonly limit: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (this.size >= this.limit && !this.has(key)) this.delete(this.keys().next().value as K);
    return super.set(key, value);
  }
}
