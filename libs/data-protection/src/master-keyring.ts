// The master keys that wrap every subject's data key. The current one wraps new data keys;
// retired ones stay only to unwrap data keys made before a rotation.
import { KEY_BYTES, openBytes, sealBytes } from './aes-gcm';

export interface MasterKey {
  id: string;
  key: Buffer;
}

const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** `<id>:<base64 of 32 random bytes>`, e.g. from `openssl rand -base64 32`. */
export function parseMasterKey(spec: string, setting: string): MasterKey {
  const separator = spec.indexOf(':');
  const id = spec.slice(0, separator);
  const key = Buffer.from(spec.slice(separator + 1), 'base64');
  if (separator < 1 || !KEY_ID.test(id) || key.length !== KEY_BYTES) {
    throw new Error(
      `${setting} must be "<id>:<base64 of ${KEY_BYTES} bytes>" with an id of letters, digits, "-" or "_"`,
    );
  }
  return { id, key };
}

export interface WrappedKey {
  masterKeyId: string;
  wrapped: Buffer;
}

export class UnknownMasterKeyError extends Error {
  constructor(id: string) {
    super(
      `a data key is wrapped by master key "${id}", which is not configured (retired too early?)`,
    );
    this.name = 'UnknownMasterKeyError';
  }
}

export class MasterKeyring {
  private readonly byId: Map<string, Buffer>;

  constructor(
    private readonly current: MasterKey,
    retired: MasterKey[] = [],
  ) {
    this.byId = new Map([...retired, current].map(({ id, key }) => [id, key]));
  }

  get currentId(): string {
    return this.current.id;
  }

  /** `context` names what the key belongs to, so a wrapped key cannot be moved to another row. */
  wrap(dataKey: Buffer, context: string): WrappedKey {
    return { masterKeyId: this.current.id, wrapped: sealBytes(this.current.key, dataKey, context) };
  }

  unwrap({ masterKeyId, wrapped }: WrappedKey, context: string): Buffer {
    const master = this.byId.get(masterKeyId);
    if (!master) throw new UnknownMasterKeyError(masterKeyId);
    return openBytes(master, wrapped, context);
  }
}
