import { WireReader, WireWriter } from './kafka-wire';

describe('Kafka wire primitives', () => {
  it('encodes unsigned varints as Kafka does (7 bits a byte, low first)', () => {
    expect(new WireWriter().uvarint(0).toBuffer()).toEqual(Buffer.from([0x00]));
    expect(new WireWriter().uvarint(300).toBuffer()).toEqual(Buffer.from([0xac, 0x02]));
    expect(new WireReader(Buffer.from([0xac, 0x02])).uvarint()).toBe(300);
  });

  it('reads back what it writes: fixed-width and compact fields, skipping tagged fields', () => {
    const buffer = new WireWriter()
      .int16(-2)
      .int32(70_000)
      .string('handshake')
      .compactArray(['a', 'bé'], (w, item) => w.compactString(item).noTags())
      .uvarint(1) // one tagged field: tag 7, two bytes of data
      .uvarint(7)
      .uvarint(2)
      .int8(1)
      .int8(2)
      .toBuffer();
    const reader = new WireReader(buffer);
    expect(reader.int16()).toBe(-2);
    expect(reader.int32()).toBe(70_000);
    expect(reader.nullableString()).toBe('handshake');
    expect(
      reader.compactArray((r) => {
        const value = r.compactNullableString();
        r.skipTags();
        return value;
      }),
    ).toEqual(['a', 'bé']);
    expect(() => reader.skipTags()).not.toThrow();
    expect(() => reader.int8()).toThrow(/truncated/);
  });
});
