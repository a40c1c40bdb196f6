-- History of one cluster (this schema is flowraft_<cluster id>). Written by the leader's exporter, read by the API
-- for workflows no longer in the replicated state. Times are the leader's stamps; JSON stays text (jsonb would
-- reorder keys, and the API returns what was submitted).
--
-- Workflow ids collate "C" (byte order, which for the ASCII ids the engine accepts is Java's String order): the
-- list pages across the replicated state and this table by id, so both must sort ids alike whatever the
-- database's default collation.
--
-- exported_through: the export batch (its applied index) that last wrote the row. A row is replaced only by a batch
-- captured at the same or a later index, so a deposed leader's late batch cannot overwrite a newer one.

CREATE TABLE workflows (
    id                 text COLLATE "C" PRIMARY KEY,
    definition_name    text,
    definition_version int,
    definition_ref     text,
    status             text        NOT NULL,
    input              text,
    idempotency_key    text,
    created_at         timestamptz NOT NULL,
    finished_at        timestamptz,
    trace_id           text,
    exported_through   bigint      NOT NULL
);

CREATE INDEX workflows_status_id ON workflows (status, id);
CREATE INDEX workflows_definition_id ON workflows (definition_name, definition_version, id);
CREATE INDEX workflows_created_id ON workflows (created_at, id);
CREATE INDEX workflows_idempotency_key ON workflows (idempotency_key);

-- Every attempt of every task (attempt 0: a task that never ran).
CREATE TABLE tasks (
    workflow_id      text COLLATE "C" NOT NULL,
    task_id          text        NOT NULL,
    attempt          int         NOT NULL,
    position         int         NOT NULL,
    type             text        NOT NULL,
    depends_on       text[]      NOT NULL,
    status           text        NOT NULL,
    worker_id        text,
    fencing_token    bigint      NOT NULL,
    input            text,
    output           text,
    error            text,
    ready_at         timestamptz,
    leased_at        timestamptz,
    lease_expires_at timestamptz,
    finished_at      timestamptz,
    exported_through bigint      NOT NULL,
    PRIMARY KEY (workflow_id, task_id, attempt)
);

-- One line per committed transition; (workflow_id, seq) makes a line written twice count once.
CREATE TABLE history (
    workflow_id   text COLLATE "C" NOT NULL,
    seq           int         NOT NULL,
    log_index     bigint      NOT NULL,
    kind          text        NOT NULL,
    task_id       text,
    attempt       int         NOT NULL,
    fencing_token bigint      NOT NULL,
    at            timestamptz NOT NULL,
    detail        text,
    PRIMARY KEY (workflow_id, seq)
);

CREATE INDEX history_log_index ON history (log_index);
