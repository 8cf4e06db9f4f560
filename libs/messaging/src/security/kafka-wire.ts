// The few Kafka protocol primitives the SCRAM user admin needs (kafkajs has no API for it):
// fixed-width integers, strings and bytes, and the compact forms of flexible versions.

/** Builds a request body field by field. */
export class WireWriter {
  private readonly parts: Buffer[] = [];

  int8(value: number): this {
    const buffer = Buffer.alloc(1);
    buffer.writeInt8(value);
    return this.push(buffer);
  }

  int16(value: number): this {
    const buffer = Buffer.alloc(2);
    buffer.writeInt16BE(value);
    return this.push(buffer);
  }

  int32(value: number): this {
    const buffer = Buffer.alloc(4);
    buffer.writeInt32BE(value);
    return this.push(buffer);
  }

  /** Unsigned varint (flexible versions' lengths and tag counts). */
  uvarint(value: number): this {
    const bytes: number[] = [];
    let rest = value >>> 0;
    while (rest > 0x7f) {
      bytes.push((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    bytes.push(rest);
    return this.push(Buffer.from(bytes));
  }

  /** STRING / NULLABLE_STRING: int16 length. */
  string(value: string | null): this {
    if (value === null) return this.int16(-1);
    const bytes = Buffer.from(value, 'utf8');
    return this.int16(bytes.length).push(bytes);
  }

  /** BYTES: int32 length. */
  bytes(value: Buffer): this {
    return this.int32(value.length).push(value);
  }

  compactString(value: string): this {
    return this.compactBytes(Buffer.from(value, 'utf8'));
  }

  compactBytes(value: Buffer): this {
    return this.uvarint(value.length + 1).push(value);
  }

  compactArray<T>(items: readonly T[], writeItem: (writer: this, item: T) => void): this {
    this.uvarint(items.length + 1);
    for (const item of items) writeItem(this, item);
    return this;
  }

  /** An empty tagged-field section. */
  noTags(): this {
    return this.uvarint(0);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }

  private push(buffer: Buffer): this {
    this.parts.push(buffer);
    return this;
  }
}

/** Reads a response body field by field. */
export class WireReader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  int8(): number {
    return this.advance(1, (at) => this.buffer.readInt8(at));
  }

  int16(): number {
    return this.advance(2, (at) => this.buffer.readInt16BE(at));
  }

  int32(): number {
    return this.advance(4, (at) => this.buffer.readInt32BE(at));
  }

  int64(): bigint {
    return this.advance(8, (at) => this.buffer.readBigInt64BE(at));
  }

  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift <= 28; shift += 7) {
      const byte = this.advance(1, (at) => this.buffer.readUInt8(at));
      value |= (byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value >>> 0;
    }
    throw new Error('malformed varint in a Kafka response');
  }

  nullableString(): string | null {
    const length = this.int16();
    return length < 0 ? null : this.take(length).toString('utf8');
  }

  bytes(): Buffer {
    const length = this.int32();
    return length < 0 ? Buffer.alloc(0) : this.take(length);
  }

  compactNullableString(): string | null {
    const length = this.uvarint() - 1;
    return length < 0 ? null : this.take(length).toString('utf8');
  }

  compactArray<T>(readItem: (reader: this) => T): T[] {
    const length = this.uvarint() - 1;
    const items: T[] = [];
    for (let i = 0; i < length; i++) items.push(readItem(this));
    return items;
  }

  array<T>(readItem: (reader: this) => T): T[] {
    const length = this.int32();
    const items: T[] = [];
    for (let i = 0; i < length; i++) items.push(readItem(this));
    return items;
  }

  /** Skips a tagged-field section (none of the fields it may hold are needed here). */
  skipTags(): void {
    const count = this.uvarint();
    for (let i = 0; i < count; i++) {
      this.uvarint(); // tag
      this.take(this.uvarint());
    }
  }

  private take(length: number): Buffer {
    return this.advance(length, (at) => this.buffer.subarray(at, at + length));
  }

  private advance<T>(length: number, read: (at: number) => T): T {
    if (this.offset + length > this.buffer.length) {
      throw new Error('truncated Kafka response');
    }
    const value = read(this.offset);
    this.offset += length;
    return value;
  }
}
