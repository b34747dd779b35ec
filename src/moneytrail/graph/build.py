"""Build the money graph from ``transactions``: derived DuckDB tables in the store's catalog.

Tables (docs/tracing.md describes them column by column):

``graph_nodes``               one row per donor, committee, candidate or payee that pays or is paid
``graph_edges``               one row per (payer, beneficiary, kind, conduit): totals, dates, counts
``graph_edge_transactions``   the transactions behind each edge (the citation of every figure), by payer
``graph_in_transactions``     the same transactions by beneficiary, with the edge's kind (money into a node)
``graph_edge_days``           each edge's total by date (a view of graph_edge_transactions)
``graph_node_receipts``       each committee's counted receipts by date, with the running total
``graph_meta``                what the graph was built from (the signature) and build figures

Each table is stored sorted by the key of the node it is looked up by (``src_key``, ``dst_key``,
``node_key``: ``node_key_sql``), so that DuckDB's zone maps skip all but the few row groups holding one
node's rows: a profile or a trace hop reads thousands of rows, not the whole table. (Zone maps keep
only the first 8 bytes of a string: ids such as ``D:SMITH JOHN|...`` would not be told apart.)

One side per payment. Both committees report a committee-to-committee payment (the giver's 24K, the
recipient's 18K). The graph keeps the giver's row; the recipient's row is used only when no row of the
giver pays the same amount to the same committee within ``MATCH_DAYS`` days of it. Earmarked money is
the same: the recipient's 15E (the counted row) is kept and the conduit's 24T is used for the donor's
edge only when no 15E matches it: the same donor name as filed, amount, recipient and conduit, within
``MATCH_DAYS`` days (never the resolved donor, which may split one person in two). Sides are paired one
to one, closest dates first.

Rebuild: the graph is rebuilt in full whenever the set of loaded batches (or the donor resolution)
differs from the one it was built from. A full rebuild of 10 million transactions takes 71 to 89
seconds on two cores (docs/benchmarks.md), so no incremental bookkeeping is kept.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import asdict, dataclass

import duckdb
import pyarrow as pa

from ..errors import StoreError
from ..store import Store

#: Bump when a rule or a table below changes: every graph built before is rebuilt on next use.
GRAPH_VERSION = "5"
#: Two reports of one committee-to-committee payment (or one earmark) are paired within this many days.
MATCH_DAYS = 31
COMMITTEE_RE = "C[0-9]{8}"
CANDIDATE_RE = "[HSP][0-9][A-Z0-9]{7}"
TABLES = ["graph_nodes", "graph_edges", "graph_edge_transactions", "graph_in_transactions", "graph_edge_days",
          "graph_node_receipts", "graph_meta"]

#: Edge kinds after which the money is spent: a trace never continues past them.
TERMINAL_KINDS = ("independent expenditure for", "independent expenditure against", "independent expenditure",
                  "coordinated expenditure", "expenditure", "communication cost", "electioneering communication")


@dataclass
class GraphStats:
    """What one build did (also kept in ``graph_meta``)."""

    signature: str
    rows_read: int
    flows: int
    sides_paired: int
    earmarks_paired: int
    edges: int
    nodes: int
    seconds: float
    #: no two nodes share a node key, and a node's key is a committee number exactly when its id starts
    #: with C: traces may then tell nodes apart by key alone (``trace``)
    keys_unique: bool = True
    rebuilt: bool = True

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def has_column(store: Store, view: str, column: str) -> bool:
    rows = store.rows("SELECT 1 FROM duckdb_columns() WHERE table_name = ? AND column_name = ?", [view, column])
    return bool(rows)


def has_table(store: Store, name: str) -> bool:
    return bool(store.rows("SELECT 1 FROM duckdb_tables() WHERE table_name = ? UNION ALL "
                           "SELECT 1 FROM duckdb_views() WHERE view_name = ?", [name, name]))


def normalized_name_sql(col: str) -> str:
    """Upper case, letters and digits only, single spaces: 'Alvarez, Maria L.' -> 'ALVAREZ MARIA L'."""
    return (f"trim(regexp_replace(regexp_replace(upper(coalesce({col}, '')), '[^A-Z0-9]+', ' ', 'g'), "
            f"' +', ' ', 'g'))")


def provisional_key_sql(name: str = "name", zip_col: str = "zip") -> str:
    """The provisional donor (and payee) key: normalized name and ZIP5, 'ALVAREZ MARIA|97001'."""
    return f"{normalized_name_sql(name)} || '|' || coalesce(left(regexp_replace({zip_col}, '[^0-9]', '', 'g'), 5), '')"


def donor_key_sql(store: Store) -> str:
    """``donor_id`` where donor resolution has given one, else the provisional key."""
    provisional = provisional_key_sql()
    if has_column(store, "transactions", "donor_id"):
        return f"coalesce(CAST(donor_id AS VARCHAR), {provisional})"
    return provisional


def signature(store: Store) -> str:
    """What the graph depends on: the loaded batches, the donor resolution and this module's rules."""
    batches = [b for (b,) in store.rows("SELECT DISTINCT batch_id FROM record_files ORDER BY 1")]
    donors = "none"
    if has_column(store, "transactions", "donor_id"):
        donors = "donor_id"
        if has_table(store, "donors"):
            # the number of rows of the donors view, counted without it (the view groups every transaction)
            donors += ":" + str(store.scalar("SELECT count(DISTINCT donor_id) FROM donor_records"))
    # the node keys are DuckDB hashes: a graph built by another DuckDB version is rebuilt
    text = "|".join([GRAPH_VERSION, "duckdb " + duckdb.__version__, donors, *batches])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def built_signature(store: Store) -> str | None:
    if not has_table(store, "graph_meta"):
        return None
    value = store.scalar("SELECT value FROM graph_meta WHERE key = 'signature'")
    return None if value is None else str(value)


def ensure(store: Store) -> GraphStats | None:
    """Build the graph if it is missing or older than the data; return the build's figures, or None if current.

    A store opened read-only cannot be built into: the error says to run ``moneytrail graph build``.
    """
    if built_signature(store) == signature(store):
        return None
    if store.read_only:
        raise StoreError(f"the money graph of {store.root} is missing or older than its data: "
                         "run `moneytrail graph build` (or any trace command without a read-only store)")
    return build(store)


def _rows_sql(store: Store) -> str:
    donor = donor_key_sql(store)
    payee = provisional_key_sql()
    committee = f"regexp_full_match(coalesce(other_id, ''), '{COMMITTEE_RE}')"
    candidate = f"regexp_full_match(coalesce(other_id, ''), '{CANDIDATE_RE}')"
    ie_candidate = f"regexp_full_match(coalesce(candidate_id, ''), '{CANDIDATE_RE}')"
    return f"""
        SELECT txn_id, filer_id, direction, kind, fec_transaction_type AS ft, date, net_amount AS amount, cycle,
               counts_in_flows AS counted, other_id, name, city, state, zip,
               -- the donor's name as filed, letters and digits only ('MC QUEEN, GRACE' = 'MCQUEEN, GRACE'),
               -- on the two reports of an earmarked gift (PAIRS_SQL)
               CASE WHEN kind IN ('earmarked contribution', 'conduit pass-through')
                    THEN regexp_replace(upper(coalesce(name, '')), '[^A-Z0-9]+', '', 'g') END AS name_key,
               CASE WHEN {committee} OR {candidate} THEN other_id
                    WHEN kind = 'independent expenditure' AND {ie_candidate} THEN candidate_id END AS party_id,
               'D:' || {donor} AS donor_node,
               'V:' || {payee} AS payee_node
        FROM transactions
        WHERE direction IN ('receipt', 'disbursement') AND amount IS NOT NULL AND (counts_in_flows
              OR (kind = 'conduit pass-through' AND {committee}
                  AND NOT coalesce(memo, false) AND superseded_by IS NULL))"""


#: Node keys below this are committee numbers; donors', payees' and other ids' hashes lie in the blocks above.
KEY_BLOCK = 100_000_000_000_000_000


def node_key_sql(col: str) -> str:
    """The integer a node's rows are sorted and found by: a committee's (C + digits) is its number, so
    committees are contiguous and ordered; any other id's is a hash, after a block for its kind (donors,
    payees, candidates), so one id is found in one row group and ids of one kind stay together. Two ids
    may share a key: lookups always filter on the id as well."""
    return (f"coalesce(CASE WHEN starts_with({col}, 'C') AND length({col}) <= 18 "
            f"THEN TRY_CAST(substr({col}, 2) AS UBIGINT) END, "
            f"(CASE WHEN starts_with({col}, 'D:') THEN 1 WHEN starts_with({col}, 'V:') THEN 2 ELSE 3 END)::UBIGINT "
            f"* {KEY_BLOCK} + hash({col}) % {KEY_BLOCK})")


def keys_unique(store: Store) -> bool:
    """Whether no two nodes share a key and a node's key is a committee number exactly when its id starts
    with C (so that a trace may tell nodes apart, and find committees, by key alone)."""
    return bool(store.scalar(f"""
        SELECT count(*) = count(DISTINCT node_key)
               AND count(*) FILTER (WHERE starts_with(node_id, 'C') <> (node_key < {KEY_BLOCK})) = 0
        FROM graph_nodes"""))


def node_keys(store: Store, node_ids: list[str]) -> list[int]:
    """``node_key_sql`` of each id, in order."""
    if not node_ids:
        return []
    return list(store.scalar(f"SELECT list({node_key_sql('x')} ORDER BY i) FROM "  # type: ignore[arg-type]
                             "(SELECT unnest(?::VARCHAR[]) AS x, generate_subscripts(?::VARCHAR[], 1) AS i)",
                             [node_ids, node_ids]))


def node_type_sql(col: str) -> str:
    """The type of a node, from its id."""
    return (f"CASE WHEN {col} LIKE 'D:%' THEN 'donor' WHEN {col} LIKE 'V:%' THEN 'payee' "
            f"WHEN regexp_full_match({col}, '{COMMITTEE_RE}') THEN 'committee' ELSE 'candidate' END")


EDGE_ID_SQL = "left(md5(src || '|' || dst || '|' || kind || '|' || coalesce(via, '')), 16)"

FLOWS_SQL = f"""
    CREATE OR REPLACE TEMP TABLE _g_flows AS
    WITH r AS (
        SELECT *, kind = 'refund' AS refund,
               CASE WHEN party_id IS NOT NULL THEN party_id
                    WHEN (direction = 'receipt') <> (kind = 'refund') THEN donor_node
                    ELSE payee_node END AS party
        FROM _g_rows
    ),
    ordinary AS (
        SELECT txn_id, 'row' AS role,
               CASE WHEN (direction = 'receipt') <> refund THEN party ELSE filer_id END AS src,
               CASE WHEN (direction = 'receipt') <> refund THEN filer_id ELSE party END AS dst,
               CASE WHEN refund AND party LIKE 'V:%' THEN 'expenditure'
                    WHEN refund THEN 'contribution'
                    WHEN kind = 'independent expenditure' AND ft = '24E' THEN 'independent expenditure for'
                    WHEN kind = 'independent expenditure' AND ft = '24A' THEN 'independent expenditure against'
                    ELSE kind END AS kind,
               NULL::VARCHAR AS via, true AS counts, date, amount, cycle, filer_id, NULL::VARCHAR AS name_key
        FROM r WHERE counted AND kind <> 'earmarked contribution'
    ),
    earmarked AS (
        SELECT txn_id, 'row' AS role, donor_node AS src, filer_id AS dst, 'earmarked contribution' AS kind,
               CASE WHEN regexp_full_match(coalesce(other_id, ''), '{COMMITTEE_RE}') THEN other_id END AS via,
               true AS counts, date, amount, cycle, filer_id, name_key
        FROM r WHERE counted AND kind = 'earmarked contribution'
    ),
    conduit AS (
        SELECT txn_id, 'pass-through' AS role, filer_id AS src, other_id AS dst, 'conduit pass-through' AS kind,
               NULL AS via, false AS counts, date, amount, cycle, filer_id, NULL AS name_key
        FROM r WHERE NOT counted
        UNION ALL
        SELECT txn_id, 'conduit' AS role, donor_node AS src, other_id AS dst, 'earmarked contribution' AS kind,
               filer_id AS via, true AS counts, date, amount, cycle, filer_id, name_key
        FROM r WHERE NOT counted
    )
    SELECT *, {EDGE_ID_SQL} AS edge_id,
           CASE WHEN role = 'conduit' THEN 'conduit' WHEN filer_id = src THEN 'payer' ELSE 'beneficiary' END AS side,
           CASE WHEN kind = 'earmarked contribution' THEN 'earmark'
                WHEN counts AND regexp_full_match(src, '{COMMITTEE_RE}')
                     AND regexp_full_match(dst, '{COMMITTEE_RE}') THEN 'c2c' END AS grp
    FROM (SELECT * FROM ordinary UNION ALL SELECT * FROM earmarked UNION ALL SELECT * FROM conduit)"""

# Candidate pairs of two reports of one payment: (the row to drop, the row to keep, days apart).
# Two committees' reports of a payment between them name the same payer and beneficiary. The two
# reports of an earmarked gift (the conduit's and the recipient's) are matched on what the rows say (the
# donor's name as filed, the recipient, the conduit, the amount and the date), never on the donor node:
# resolution may put the two rows of one gift under two donors, and the gift would then count twice.
PAIRS_SQL = f"""
    SELECT d.txn_id, d.role, k.txn_id, k.role, abs(coalesce(datediff('day', k.date, d.date), 0)) AS days
    FROM _g_flows d JOIN _g_flows k
      ON d.grp = k.grp AND d.dst = k.dst AND d.amount = k.amount
         AND d.via IS NOT DISTINCT FROM k.via
         AND ((d.grp = 'c2c' AND d.src = k.src AND d.side = 'beneficiary' AND k.side = 'payer')
              OR (d.grp = 'earmark' AND d.name_key = k.name_key AND d.side = 'conduit' AND k.side <> 'conduit'))
    WHERE (d.date IS NULL) = (k.date IS NULL)
      AND (d.date IS NULL OR abs(datediff('day', k.date, d.date)) <= {MATCH_DAYS})
    ORDER BY days, d.txn_id, k.txn_id"""


def _pair(store: Store) -> pa.Table:
    """Pair the two reports of each payment one to one, closest dates first (greedy, deterministic)."""
    candidates = store.con.execute(PAIRS_SQL).fetchall()
    used_drop: set[tuple[str, str]] = set()
    used_keep: set[tuple[str, str]] = set()
    drop, drop_role, keep, keep_role = [], [], [], []
    for d, d_role, k, k_role, _days in candidates:
        if (d, d_role) in used_drop or (k, k_role) in used_keep:
            continue
        used_drop.add((d, d_role))
        used_keep.add((k, k_role))
        drop.append(d)
        drop_role.append(d_role)
        keep.append(k)
        keep_role.append(k_role)
    return pa.table({"drop_txn": pa.array(drop, pa.string()), "drop_role": pa.array(drop_role, pa.string()),
                     "keep_txn": pa.array(keep, pa.string()), "keep_role": pa.array(keep_role, pa.string())})


#: Names as filed, for ids missing from the master files and for donors and payees: the spelling filed
#: most often (ties: the one filed last, then the last in alphabetical order) and the place filed last
#: (ties on a day: by a hash of txn_id), so that every build names a node alike (10% of a build at 10M
#: rows). Grouped while the rows are at hand, before the graph's large tables are written: at 10M rows
#: with as many donors the grouping needs the memory those tables hold later.
NAMES_SQL = """
    CREATE OR REPLACE TEMP TABLE _g_names AS
    -- when a row was filed, as one number: its date, then (for rows of one day) a hash of its txn_id
    WITH timed AS (SELECT *, (date - DATE '1900-01-01')::BIGINT * 4294967296 + (hash(txn_id) >> 32)::BIGINT AS seen
                   FROM _g_rows),
    people AS (
        SELECT donor_node AS node_id, name, city, state, zip, seen FROM timed WHERE party_id IS NULL
        UNION ALL
        SELECT payee_node, name, city, state, zip, seen FROM timed WHERE party_id IS NULL
            -- only payees that some row pays (the party of FLOWS_SQL): all of their rows, no other rows
            AND payee_node IN (SELECT payee_node FROM _g_rows WHERE party_id IS NULL
                               AND NOT coalesce((direction = 'receipt') <> (kind = 'refund'), false))
    ),
    spelled AS (
        SELECT node_id, name, count(*) AS n, max(seen) AS last,
               arg_max(city, seen) AS city, max(seen) FILTER (WHERE city IS NOT NULL) AS city_seen,
               arg_max(state, seen) AS state, max(seen) FILTER (WHERE state IS NOT NULL) AS state_seen,
               arg_max(zip, seen) AS zip, max(seen) FILTER (WHERE zip IS NOT NULL) AS zip_seen
        FROM people GROUP BY 1, 2
    )
    SELECT party_id AS node_id, arg_max(name, seen) AS name, NULL AS city, NULL AS state, NULL AS zip
    FROM timed WHERE party_id IS NOT NULL GROUP BY 1
    UNION ALL
    SELECT node_id, arg_max(name, (n, last, name)) FILTER (WHERE name IS NOT NULL),
           arg_max(city, city_seen), arg_max(state, state_seen), arg_max(zip, zip_seen)
    FROM spelled GROUP BY 1"""

NODES_SQL = f"""
    CREATE OR REPLACE TABLE graph_nodes AS
    WITH ids AS (SELECT src AS node_id FROM graph_edges UNION SELECT dst FROM graph_edges),
    cm AS (SELECT committee_id, arg_max(name, cycle) AS name, arg_max(city, cycle) AS city,
                  arg_max(state, cycle) AS state, arg_max(zip, cycle) AS zip,
                  arg_max(committee_type, cycle) AS committee_type, arg_max(designation, cycle) AS designation,
                  arg_max(candidate_id, cycle) AS candidate_id
           FROM committees GROUP BY 1),
    cn AS (SELECT candidate_id, arg_max(name, cycle) AS name, arg_max(city, cycle) AS city,
                  arg_max(state, cycle) AS state, arg_max(zip, cycle) AS zip,
                  arg_max(office || coalesce('-' || office_state, '') || coalesce('-' || office_district, ''), cycle)
                      AS office, arg_max(party, cycle) AS party
           FROM candidates GROUP BY 1)
    SELECT i.node_id, {node_type_sql("i.node_id")} AS node_type,
           coalesce(cm.name, cn.name, f.name, i.node_id) AS name,
           {normalized_name_sql("coalesce(cm.name, cn.name, f.name, i.node_id)")} AS name_key,
           coalesce(cm.city, cn.city, f.city) AS city, coalesce(cm.state, cn.state, f.state) AS state,
           coalesce(cm.zip, cn.zip, f.zip) AS zip,
           coalesce(cm.committee_type || coalesce('/' || cm.designation, ''), cn.office) AS detail,
           coalesce(cm.candidate_id, CASE WHEN cn.candidate_id IS NOT NULL THEN i.node_id END) AS candidate_id,
           {node_key_sql("i.node_id")} AS node_key
    FROM ids i LEFT JOIN cm ON cm.committee_id = i.node_id LEFT JOIN cn ON cn.candidate_id = i.node_id
    LEFT JOIN _g_names f ON f.node_id = i.node_id
    ORDER BY node_key"""


def build(store: Store) -> GraphStats:
    """Rebuild every graph table from the current ``transactions`` (all or nothing)."""
    if store.read_only:
        raise StoreError("cannot build the money graph in a store opened read-only: open it for writing")
    started = time.perf_counter()
    sig = signature(store)
    con = store.con
    con.execute(f"CREATE OR REPLACE TEMP TABLE _g_rows AS {_rows_sql(store)}")
    con.execute(FLOWS_SQL)
    con.execute(NAMES_SQL)
    rows_read = con.execute("SELECT count(*) FROM _g_rows").fetchone()[0]  # type: ignore[index]
    con.execute("DROP TABLE _g_rows")
    pairs = _pair(store)
    con.register("_g_pairs_arrow", pairs)
    con.execute("CREATE OR REPLACE TEMP TABLE _g_pairs AS SELECT * FROM _g_pairs_arrow")
    con.unregister("_g_pairs_arrow")
    flows = con.execute("SELECT count(*) FROM _g_flows").fetchone()[0]  # type: ignore[index]
    paired = dict(con.execute("""SELECT f.grp, count(*) FROM _g_pairs p JOIN _g_flows f
                                 ON f.txn_id = p.drop_txn AND f.role = p.drop_role GROUP BY 1""").fetchall())
    # The flows that stay (one side per payment), with the row each one stands for.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _g_kept AS
        SELECT f.edge_id, f.src, f.dst, f.kind, f.via, f.counts, f.txn_id, f.date, f.amount, f.cycle, f.side,
               p.drop_txn AS paired_txn_id, {node_key_sql("f.src")} AS src_key, {node_key_sql("f.dst")} AS dst_key,
               CAST('0x' || f.edge_id AS UBIGINT) AS edge_num  -- the edge id as a number: grouped and read faster
        FROM _g_flows f
        LEFT JOIN _g_pairs x ON x.drop_txn = f.txn_id AND x.drop_role = f.role
        LEFT JOIN _g_pairs p ON p.keep_txn = f.txn_id AND p.keep_role = f.role
        WHERE x.drop_txn IS NULL""")
    con.execute("DROP TABLE _g_flows")  # the temporary tables are large: free memory as soon as possible
    with store.transaction():
        con.execute("""
            CREATE OR REPLACE TABLE graph_edge_transactions AS
            SELECT edge_id, txn_id, date, amount, cycle, side, paired_txn_id, src, dst, kind, via, counts,
                   src_key, dst_key, edge_num
            FROM _g_kept ORDER BY src_key""")
        con.execute("""
            CREATE OR REPLACE TABLE graph_in_transactions AS
            SELECT dst, src, kind, via, counts, edge_id, txn_id, date, amount, cycle, dst_key
            FROM _g_kept ORDER BY dst_key""")
        con.execute("""
            CREATE OR REPLACE TABLE graph_edges AS
            SELECT any_value(edge_id) AS edge_id, any_value(src) AS src, any_value(dst) AS dst, any_value(kind) AS kind,
                   any_value(via) AS via, any_value(counts) AS counts,
                   CAST(sum(amount) AS DECIMAL(18,2)) AS total, count(*) AS transactions,
                   min(date) AS first_date, max(date) AS last_date,
                   -- list(DISTINCT cycle ORDER BY cycle), without the much slower ordered aggregate
                   CASE WHEN count(cycle) < count(*) THEN list_append(list_sort(list_distinct(list(cycle))), NULL)
                        ELSE list_sort(list_distinct(list(cycle))) END AS cycles,
                   any_value(src_key) AS src_key
            FROM _g_kept GROUP BY edge_num ORDER BY src_key""")
        # A view: traces total the days of the few edges they follow from graph_edge_transactions.
        if store.rows("SELECT 1 FROM duckdb_tables() WHERE table_name = 'graph_edge_days' AND NOT temporary"):
            con.execute("DROP TABLE graph_edge_days")  # a table in graphs built before
        con.execute("""
            CREATE OR REPLACE VIEW graph_edge_days AS
            SELECT edge_id, date, CAST(sum(amount) AS DECIMAL(18,2)) AS total, count(*) AS transactions
            FROM graph_edge_transactions GROUP BY edge_id, date""")
        con.execute("""
            CREATE OR REPLACE TABLE graph_node_receipts AS
            SELECT dst AS node_id, date, CAST(sum(amount) AS DECIMAL(18,2)) AS total,
                   CAST(sum(sum(amount)) OVER (PARTITION BY dst ORDER BY date) AS DECIMAL(38,2)) AS cumulative
            FROM _g_kept WHERE counts AND date IS NOT NULL AND starts_with(dst, 'C')  -- what traces pass through
            GROUP BY dst, date ORDER BY node_id, date""")
        con.execute("DROP TABLE _g_kept")
        con.execute(NODES_SQL)
        con.execute("DROP TABLE _g_names")
        edges = con.execute("SELECT count(*) FROM graph_edges").fetchone()[0]  # type: ignore[index]
        nodes = con.execute("SELECT count(*) FROM graph_nodes").fetchone()[0]  # type: ignore[index]
        stats = GraphStats(signature=sig, rows_read=rows_read, flows=flows, sides_paired=paired.get("c2c", 0),
                           earmarks_paired=paired.get("earmark", 0), edges=edges, nodes=nodes,
                           seconds=round(time.perf_counter() - started, 3), keys_unique=keys_unique(store))
        con.execute("CREATE OR REPLACE TABLE graph_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        con.executemany("INSERT INTO graph_meta VALUES (?, ?)", [(k, str(v)) for k, v in stats.as_dict().items()])
    for temp in ("_g_rows", "_g_names", "_g_flows", "_g_pairs", "_g_kept"):
        con.execute(f"DROP TABLE IF EXISTS {temp}")
    # The connection that has just written the graph holds the new tables' blocks as it wrote them (about
    # 100 MB at 1 M transactions) and reads them more slowly than one opened on the file: 3-hop traces took
    # 20% longer at 10 M transactions (15% at 1 M) until the catalog was opened again; a CHECKPOINT or a
    # lower memory limit did not help.
    store.reopen()
    return stats
