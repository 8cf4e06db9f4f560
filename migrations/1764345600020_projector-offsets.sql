-- Up Migration
-- Where the projector has got to in each partition of the topics it consumes: the offset of
-- the next record to apply. Written in the same transaction as the read-model changes of each
-- batch, so a read model and its position can never disagree; on partition assignment the
-- consumer seeks here, and a record below it is never applied twice.
CREATE TABLE projector_offsets (
  consumer_group  text NOT NULL,
  topic           text NOT NULL,
  partition       integer NOT NULL,
  next_offset     bigint NOT NULL,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, topic, partition)
);

-- Down Migration
DROP TABLE projector_offsets;
