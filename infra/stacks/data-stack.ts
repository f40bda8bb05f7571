import { RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, Billing, type ITableV2, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';
import {
  type KeyAttribute,
  physicalTableName,
  TABLE_NAMES,
  TABLES,
  type TableName,
} from '#adapters/dynamodb/tables.js';
import type { PeaklineConfig } from '#infra/config/schema.js';

export interface DataStackProps extends StackProps {
  readonly config: PeaklineConfig;
}

const attribute = (key: KeyAttribute) => ({
  name: key.name,
  type: key.type === 'S' ? AttributeType.STRING : AttributeType.NUMBER,
});

/**
 * The stateful half of peakline: every table, built from the shared definitions in
 * `layers/adapters/dynamodb/tables.ts`. Termination-protected, and RETAIN (with deletion protection)
 * unless the stage says `data.retainOnDelete: false`, so a `cdk destroy` of the stateless stacks, or a
 * mistaken one of this stack, never takes customers' opt-outs or the ledger with it.
 */
export class DataStack extends Stack {
  readonly tables: Readonly<Record<TableName, ITableV2>>;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, { terminationProtection: props.config.data.retainOnDelete, ...props });
    const { config } = props;
    const retain = config.data.retainOnDelete;

    const tables = {} as Record<TableName, ITableV2>;
    for (const name of TABLE_NAMES) {
      const def = TABLES[name];
      tables[name] = new TableV2(this, `${name[0]?.toUpperCase()}${name.slice(1)}Table`, {
        tableName: physicalTableName(config.stage, name),
        partitionKey: attribute(def.partitionKey),
        ...(def.sortKey ? { sortKey: attribute(def.sortKey) } : {}),
        // On-demand: peaks are the whole point of peakline, and provisioned capacity sized for
        // Black Friday would be paid for all year.
        billing: Billing.onDemand(),
        timeToLiveAttribute: def.ttlAttribute,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        ...(def.stream ? { dynamoStream: StreamViewType[def.stream] } : {}),
        globalSecondaryIndexes: def.indexes.map((index) => ({
          indexName: index.name,
          partitionKey: attribute(index.partitionKey),
          ...(index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
        })),
        deletionProtection: retain,
        removalPolicy: retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      });
    }
    this.tables = tables;
  }
}
