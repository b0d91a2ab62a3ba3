-- A stream's events must be read in version order from the log, which is read in (tx_id, position)
-- order. A transaction that got its id early (it wrote something else first) but appends to a stream
-- after a later transaction did would be read before it. So an appended event's tx_id is lifted to at
-- least that of the stream's previous event (as the outbox does for a key, ADR 0007); the row stays
-- invisible to readers until its own transaction ends, as before.
CREATE OR REPLACE FUNCTION ${schema}.append_events(
    stream_ids text[], expected bigint[],
    event_append int[], event_offset int[], event_ids uuid[], event_types text[], schema_versions int[],
    payloads jsonb[], metadata jsonb[])
RETURNS TABLE (idx bigint, actual bigint, last_type text, tx bigint, last_position bigint)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    WITH app AS (
        SELECT a.idx, a.stream_id, a.expected,
               coalesce(l.stream_version, 0) AS actual, coalesce(l.event_type, '') AS last_type,
               coalesce(l.tx_id, '0'::xid8) AS last_tx
        FROM unnest(stream_ids, expected) WITH ORDINALITY AS a(stream_id, expected, idx)
        LEFT JOIN LATERAL (
            SELECT e.stream_version, e.event_type, e.tx_id FROM ${schema}.events e
            WHERE e.stream_id = a.stream_id
            ORDER BY e.stream_version DESC LIMIT 1
        ) l ON true
    ), ok AS (
        SELECT app.idx, app.stream_id, app.actual, app.last_tx FROM app
        WHERE (app.expected < 0 OR app.expected = app.actual)
          AND app.last_type NOT IN ('$stream-archived', '$stream-deleted')
    ), ins AS (
        INSERT INTO ${schema}.events (stream_id, stream_version, event_id, event_type, schema_version, payload, metadata, tx_id)
        SELECT ok.stream_id, ok.actual + v.k, v.event_id, v.event_type, v.schema_version, v.payload, v.metadata,
               greatest(pg_current_xact_id(), ok.last_tx)
        FROM unnest(event_append, event_offset, event_ids, event_types, schema_versions, payloads, metadata)
             AS v(idx, k, event_id, event_type, schema_version, payload, metadata)
        JOIN ok ON ok.idx = v.idx
        ORDER BY ok.stream_id, v.k
        RETURNING stream_id, tx_id, position
    )
    SELECT app.idx, app.actual, app.last_type, w.tx, w.last_position
    FROM app LEFT JOIN (
        SELECT ins.stream_id, max(ins.tx_id::text::bigint) AS tx, max(ins.position) AS last_position
        FROM ins GROUP BY ins.stream_id
    ) w ON w.stream_id = app.stream_id
    ORDER BY app.idx;
END $$;
