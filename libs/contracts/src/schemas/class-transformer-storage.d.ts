// class-transformer ships the CommonJS build of its metadata storage without a declaration.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
