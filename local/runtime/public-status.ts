/**
 * The public status document in the local stack: what the S3 object holds on AWS, kept in memory and
 * served at `/api/public-status`. The overflow controller's job writes it through the same publisher the
 * Lambda uses, so it changes exactly when the AWS object would.
 */
import {
  type PublicStatusDocument,
  type PublicStatusWriter,
  publicStatusDocument,
} from '#core/routing/public-status.js';
import type { PeaklineConfig } from '#infra/config/schema.js';

export class LocalPublicStatus implements PublicStatusWriter {
  private current: PublicStatusDocument | undefined;
  private count = 0;

  constructor(
    private readonly config: Pick<PeaklineConfig, 'publicStatus' | 'sms'>,
    private readonly now: () => Date,
  ) {}

  async write(document: PublicStatusDocument): Promise<void> {
    this.current = document;
    this.count += 1;
  }

  /** Writes so far: what the S3 PUTs would have been. */
  get writes(): number {
    return this.count;
  }

  /**
   * The document as a site would read it. Before the controller's first write (the stack just started),
   * the document for "no sample yet": an unknown wait, as on AWS before the first run.
   */
  document(): PublicStatusDocument {
    return (
      this.current ??
      publicStatusDocument(
        undefined,
        {
          replyWithinHours: {
            NORMAL: this.config.publicStatus.normalReplyWithinHours,
            OVERFLOW: this.config.sms.replyWithinHours.OVERFLOW,
            DEFLECT: this.config.sms.replyWithinHours.DEFLECT,
          },
        },
        this.now(),
      )
    );
  }
}
