-- Up Migration
-- Appends to several streams in one round trip, in the order given, each exactly as
-- append_to_stream() appends it (same checks, hash chain and errors). The events of all the
-- streams come as flat arrays; p_counts says how many belong to each stream in turn. A caller
-- deciding a batch of commands in one transaction used to call append_to_stream() once per
-- stream: a hundred round trips, each a wake-up of this backend and of the client, on a
-- machine whose two cores are the bottleneck.
--
-- Lock order is the caller's: it sorts the stream ids, so two batches never deadlock.
CREATE FUNCTION append_to_streams(
  p_stream_ids  text[],
  p_categories  text[],
  p_expected    text[],
  p_stream_json text[],
  p_counts      integer[],
  p_event_ids   uuid[],
  p_types       text[],
  p_data        json[],
  p_metadata    json[],
  p_types_json  text[],
  p_recorded_at text,
  p_notify      boolean
) RETURNS TABLE (stream_id text, new_version integer, positions bigint[])
LANGUAGE plpgsql AS $$
DECLARE
  v_first integer := 1;
  v_last  integer;
BEGIN
  FOR i IN 1 .. cardinality(p_stream_ids) LOOP
    v_last := v_first + p_counts[i] - 1;
    stream_id := p_stream_ids[i];
    SELECT a.new_version, a.positions INTO new_version, positions
      FROM append_to_stream(
        p_stream_ids[i], p_categories[i], p_expected[i],
        p_event_ids[v_first:v_last], p_types[v_first:v_last], p_data[v_first:v_last],
        p_metadata[v_first:v_last], p_types_json[v_first:v_last], p_stream_json[i],
        p_recorded_at, false) a;
    RETURN NEXT;
    v_first := v_last + 1;
  END LOOP;
  IF p_notify THEN
    PERFORM pg_notify('event_store_appended', '');
  END IF;
END
$$;

-- Down Migration
DROP FUNCTION append_to_streams(text[], text[], text[], text[], integer[], uuid[], text[], json[], json[], text[], text, boolean);
