import { CfnOutput, Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  AllowedMethods,
  CachedMethods,
  CacheCookieBehavior,
  CacheHeaderBehavior,
  CachePolicy,
  CacheQueryStringBehavior,
  Distribution,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  PUBLIC_STATUS_KEY,
  publicStatusEnvironmentFrom,
} from '#functions/overflow-controller/environment.js';
import type { PeaklineConfig } from '#infra/config/schema.js';
import { acknowledge } from '#infra/nag.js';

export interface PublicStatusProps {
  readonly config: PeaklineConfig;
  /**
   * The function that writes the document: the overflow controller. It is given the document's variables
   * (PUBLIC_STATUS_*) and s3:PutObject on the document's key, nothing else in the bucket.
   * @default none: call `grantWriter` later
   */
  readonly writer?: LambdaFunction;
  /**
   * The object's key: the path of the document's URL.
   * @default 'status.json'
   */
  readonly key?: string;
  /**
   * The edge locations that serve it. The cheapest class (North America and Europe) serves a Polish shop's
   * customers from Europe; elsewhere they are served from the nearest of those, a little slower.
   * @default PriceClass.PRICE_CLASS_100
   */
  readonly priceClass?: PriceClass;
}

/**
 * The wait published to customers (DESIGN.md, part 5), served as a static object:
 * - a private S3 bucket (SSE-S3, TLS 1.2+ only, public access blocked, ACLs off) holding one small JSON
 *   object the overflow controller rewrites when what it says changes;
 * - a CloudFront distribution in front of it, reading it through Origin Access Control (the bucket's
 *   policy lets only this distribution GET, signed with SigV4), HTTPS only, GET and HEAD only;
 * - edge caching for `publicStatus.cacheSeconds` whatever the request: no query string, header or cookie is
 *   part of the cache key, so a flood of `?nocache=1` reads hits the edge, not the bucket;
 * - a response headers policy: CORS for `publicStatus.allowedOrigins` (credentials never), the browsers'
 *   Cache-Control (the same time), and the usual security headers.
 * Why not API Gateway and a Lambda reading the routing table: every read would cost a request, an
 * invocation and a read (and could be made to cost them on purpose); here a read costs an edge request,
 * and the document exists even when the controller or the table does not answer (its `validUntil` says how
 * long it holds). See the README's "The wait published to customers".
 */
export class PublicStatus extends Construct {
  readonly bucket: Bucket;
  readonly distribution: Distribution;
  /** The document's key in the bucket. */
  readonly key: string;
  /** Where a site fetches the document: `https://<distribution>/<key>`. */
  readonly url: string;
  private readonly config: PeaklineConfig;

  constructor(scope: Construct, id: string, props: PublicStatusProps) {
    super(scope, id);
    const { config } = props;
    this.config = config;
    const { cacheSeconds, allowedOrigins } = config.publicStatus;
    this.key = props.key ?? PUBLIC_STATUS_KEY;

    this.bucket = new Bucket(this, 'Bucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      // One object, rewritten a few dozen times a day: versions would only pile up.
      versioned: false,
      // The object is rewritten within a minute by the controller, so nothing in it is worth keeping, but
      // a non-empty bucket cannot be deleted by CloudFormation, and emptying it would take a custom resource
      // (a Lambda of its own); it stays, and is emptied and deleted by hand after `cdk destroy`.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.bucket,
      'AwsSolutions-S1',
      'The bucket holds one public, anonymous document (no personal data) that only the overflow controller writes; its reads are CloudFront’s, counted in CloudFront’s metrics. Access logs would cost more than the bucket and tell nothing.',
    );

    const cachePolicy = new CachePolicy(this, 'CachePolicy', {
      comment: `peakline ${config.stage}: the public status for ${cacheSeconds} s, whatever the request`,
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(cacheSeconds),
      maxTtl: Duration.seconds(cacheSeconds),
      queryStringBehavior: CacheQueryStringBehavior.none(),
      headerBehavior: CacheHeaderBehavior.none(),
      cookieBehavior: CacheCookieBehavior.none(),
      enableAcceptEncodingGzip: true,
      enableAcceptEncodingBrotli: true,
    });

    const headers = new ResponseHeadersPolicy(this, 'Headers', {
      comment: `peakline ${config.stage}: CORS and caching of the public status`,
      corsBehavior: {
        accessControlAllowOrigins: [...allowedOrigins],
        accessControlAllowMethods: ['GET', 'HEAD'],
        // A GET without custom headers needs no preflight; nothing to protect by header either.
        accessControlAllowHeaders: ['*'],
        accessControlAllowCredentials: false,
        accessControlMaxAge: Duration.days(1),
        originOverride: true,
      },
      customHeadersBehavior: {
        customHeaders: [
          // The viewers' copy: the edge's own is the cache policy's (a header here does not change it).
          { header: 'Cache-Control', value: `public, max-age=${cacheSeconds}`, override: true },
        ],
      },
      securityHeadersBehavior: {
        contentTypeOptions: { override: true },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(365),
          includeSubdomains: true,
          override: true,
        },
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `peakline ${config.stage}: the wait published to customers`,
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachedMethods: CachedMethods.CACHE_GET_HEAD,
        cachePolicy,
        responseHeadersPolicy: headers,
        compress: true,
      },
      priceClass: props.priceClass ?? PriceClass.PRICE_CLASS_100,
      httpVersion: HttpVersion.HTTP2_AND_3,
      enableIpv6: true,
    });
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR1',
      'The document is for every customer of the shop, wherever they are, and holds no personal data: no country has a reason to be refused.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR2',
      'The distribution serves one cached, read-only, anonymous JSON object (GET and HEAD only, no query string, header or cookie in the cache key, so no request reaches the bucket more than once per edge per cache time). AWS WAF would cost more each month than the whole pipeline and protect nothing that is not already public; AWS Shield Standard applies as to every distribution.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR3',
      'Access logs of an anonymous public document would hold nothing but viewers’ IP addresses (personal data we would then have to keep and delete); request counts and error rates are in CloudFront’s own metrics.',
    );
    acknowledge(
      this.distribution,
      'AwsSolutions-CFR4',
      'The distribution uses the default *.cloudfront.net certificate, with which CloudFront chooses the TLS policy itself (TLSv1 at the least for old clients); a shop that wants TLS 1.2 at the least gives it its own domain and ACM certificate. The document is public and anonymous, so an old client reading it gives nothing away.',
    );

    this.url = `https://${this.distribution.distributionDomainName}/${this.key}`;
    new CfnOutput(this, 'Url', {
      description: `Where the shop's website fetches the wait published to customers (stage ${config.stage})`,
      value: this.url,
    });

    if (props.writer !== undefined) this.grantWriter(props.writer);
  }

  /**
   * Lets `fn` (the overflow controller) write the document: s3:PutObject on its key only, and the
   * variables that tell it where and what to promise. The bucket is SSE-S3, so no key grant is needed.
   */
  grantWriter(fn: LambdaFunction): void {
    const environment = publicStatusEnvironmentFrom(this.config, {
      bucketName: this.bucket.bucketName,
      key: this.key,
    });
    for (const [name, value] of Object.entries(environment)) fn.addEnvironment(name, value);
    fn.addToRolePolicy(
      new PolicyStatement({
        sid: 'WriteThePublicStatusDocument',
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(this.key)],
      }),
    );
  }
}
