import type { PublicStatusDocument, PublicStatusWriter } from '#core/routing/public-status.js';
import type { PutObject } from './put-object.js';

export interface S3PublicStatusOptions {
  readonly bucket: string;
  /** The object's key, the path of the document's URL behind the CDN. */
  readonly key: string;
  /** How long browsers and the CDN may keep it (config `publicStatus.cacheSeconds`). */
  readonly cacheSeconds: number;
}

/**
 * The public status document as one S3 object, served by CloudFront (infra/constructs/public-status.ts).
 * The headers travel with the object, so the CDN and every browser behind it cache it for the same short
 * time, and a site reading it gets JSON in UTF-8 (the texts are Polish).
 */
export class S3PublicStatusWriter implements PublicStatusWriter {
  constructor(
    private readonly putObject: PutObject,
    private readonly options: S3PublicStatusOptions,
  ) {}

  async write(document: PublicStatusDocument): Promise<void> {
    await this.putObject({
      Bucket: this.options.bucket,
      Key: this.options.key,
      Body: JSON.stringify(document),
      ContentType: 'application/json; charset=utf-8',
      CacheControl: `public, max-age=${this.options.cacheSeconds}`,
    });
  }
}
