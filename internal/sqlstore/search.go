package sqlstore

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"lianluo/internal/textsearch"
)

// Full-text search over Chinese text (docs/storage.md, "Chinese full-text
// search"). A searchable row's search document is textsearch.Document(title,
// content, …) — Han bigrams and lowercased words separated by spaces — and
// each database indexes those as plain words:
//
//   - SQLite: a contentless-delete FTS5 table <table>_fts (content = '',
//     contentless_delete = 1; SQLite 3.43 or newer) with the one column
//     `search` and rowid = the row's id. It keeps only the index, not the
//     document: the document is stored nowhere else either (the table's
//     `search` column, where it has one, stays empty on SQLite; migration
//     0022). Contentless-delete rather than regular or external-content:
//     a regular table keeps its own copy of every document (about 600 MB
//     per million cases, besides the copy in cases.search it was filled
//     from), an external-content one reads the text from the table, which
//     must then keep it, and an external-content index needs the old text
//     to drop a row; a contentless-delete table drops a row by its rowid
//     alone. What it cannot do is give the text back: nothing reads
//     `search` from it, only rowids and matches.
//   - PostgreSQL: a column `search` with the document and a column
//     `search_tsv` = to_tsvector('simple', search) with a GIN index. Written
//     by indexSearch, not a generated column: the DDL stays within what
//     openGauss and KingbaseES accept (docs/storage.md).
//
// indexSearch keeps all of it in step; unindexSearch drops a deleted row.
//
// The DDL for a table "cases" whose id is its INTEGER PRIMARY KEY / BIGSERIAL,
// SQLite:
//
//	CREATE VIRTUAL TABLE cases_fts USING fts5(search, content = '', contentless_delete = 1, tokenize = 'unicode61');
//
// PostgreSQL:
//
//	search     TEXT NOT NULL DEFAULT '', -- columns of cases
//	search_tsv TSVECTOR,
//
//	CREATE INDEX cases_search ON cases USING GIN (search_tsv);

// searchName matches the table, alias and column names searchClause and
// indexSearch put into SQL text. They are constants of the calling store,
// never user input; anything else is a programming error.
var searchName = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

func mustSearchNames(names ...string) {
	for _, n := range names {
		if !searchName.MatchString(n) {
			panic(fmt.Sprintf("sqlstore: search: %q is not a plain SQL name", n))
		}
	}
}

// searchClause adds to w the condition that row alias of table matches the
// user query q (see textsearch.Query): every chunk of q as a phrase through
// the table's index, except chunks holding a lone Han character, which the
// bigram index cannot find and which are matched with LIKE on likeCols
// instead (a sequential scan, but only for queries such as "灯" or "3号").
// A query of only punctuation or emoji is matched with LIKE as typed. An
// empty query adds no condition.
func searchClause(db *DB, w *where, table, alias string, likeCols []string, q string) {
	phrases := searchPhrases(db, w, table, alias, likeCols, q)
	if len(phrases) == 0 {
		return
	}
	if db.Dialect == Postgres {
		// One condition per phrase; PostgreSQL ANDs their GIN bitmaps.
		for _, p := range phrases {
			w.add(alias + ".search_tsv @@ phraseto_tsquery('simple', " + w.arg(p) + ")")
		}
		return
	}
	fts := table + "_fts"
	w.add(alias + ".id IN (SELECT rowid FROM " + fts + " WHERE " + fts + " MATCH " + w.arg(ftsQuery(phrases)) + ")")
}

// searchJoin is searchClause for a list that pages newest first. On SQLite,
// when the query has phrases, it matches on <table>_fts itself and returns
// true: the caller then selects FROM <table>_fts JOIN <table> <alias> ON
// <alias>.id = <table>_fts.rowid and orders by <table>_fts.rowid, which
// FTS5 walks backwards and stops at the page — instead of reading every
// match first (1.2 s → 80 ms for 路灯 over a million cases, BENCHMARKS.md).
func searchJoin(db *DB, w *where, table, alias string, likeCols []string, q string) bool {
	if db.Dialect == Postgres {
		searchClause(db, w, table, alias, likeCols, q)
		return false
	}
	phrases := searchPhrases(db, w, table, alias, likeCols, q)
	if len(phrases) == 0 {
		return false
	}
	w.add(table + "_fts MATCH " + w.arg(ftsQuery(phrases)))
	return true
}

// searchPhrases adds LIKE conditions for the parts of q the index cannot
// answer (lone Han characters, punctuation) and returns the token phrases
// the index must match.
func searchPhrases(db *DB, w *where, table, alias string, likeCols []string, q string) []string {
	mustSearchNames(table, alias)
	mustSearchNames(likeCols...)
	if len(likeCols) == 0 {
		panic("sqlstore: searchClause: no LIKE columns")
	}
	terms := textsearch.Query(q)
	if len(terms) == 0 {
		if s := strings.TrimSpace(q); s != "" {
			searchLike(db, w, alias, likeCols, s)
		}
		return nil
	}
	var phrases []string
	for _, t := range terms {
		if t.Phrase == nil {
			searchLike(db, w, alias, likeCols, t.Text)
			continue
		}
		phrases = append(phrases, strings.Join(t.Phrase, " "))
	}
	return phrases
}

// ftsQuery quotes phrases for FTS5: quoted phrases side by side are their
// AND. Inside quotes nothing is syntax, and tokens hold only letters and
// digits; the quote doubling is for safety alone.
func ftsQuery(phrases []string) string {
	quoted := make([]string, len(phrases))
	for i, p := range phrases {
		quoted[i] = `"` + strings.ReplaceAll(p, `"`, `""`) + `"`
	}
	return strings.Join(quoted, " ")
}

// searchLike adds the condition that one of cols contains s, ignoring the
// case of ASCII letters as SQLite's LIKE does (PostgreSQL's LIKE does not,
// and ILIKE is outside the shared subset).
func searchLike(db *DB, w *where, alias string, cols []string, s string) {
	p := w.arg(likeContains(strings.ToLower(s)))
	ors := make([]string, len(cols))
	for i, c := range cols {
		col := alias + "." + c
		if db.Dialect == Postgres {
			col = "LOWER(" + col + ")"
		}
		ors[i] = col + ` LIKE ` + p + ` ESCAPE '\'`
	}
	w.add("(" + strings.Join(ors, " OR ") + ")")
}

// indexSearch indexes doc, the textsearch.Document of row id's searchable
// fields, as the row's search document, in place of what the row had. Call
// it in the transaction that inserts the row and in every one that changes
// those fields. The row must exist.
func indexSearch(ctx context.Context, tx *Tx, table string, id int64, doc string) (err error) {
	defer wrap(&err, "indexSearch(%s, %d)", table, id)
	mustSearchNames(table)
	if tx.db.Dialect == Postgres {
		res, err := tx.Exec(ctx, `UPDATE `+table+` SET search = $1, search_tsv = to_tsvector('simple', $1) WHERE id = $2`, doc, id)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n != 1 {
			return fmt.Errorf("%d rows changed; want 1", n)
		}
		return nil
	}
	// SQLite: the document goes into the index only. An entry under an id
	// without a row would match whichever row gets the id later.
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM `+table+` WHERE id = $1`, id).Scan(&n); err != nil {
		return err
	}
	if n != 1 {
		return fmt.Errorf("%d rows; want 1", n)
	}
	// At the end of the transaction, with the other units' of a group
	// commit: FTS5 then writes one segment for the batch (Tx.deferExec).
	if err := unindexSearch(ctx, tx, table, id); err != nil {
		return err
	}
	tx.deferExec(`INSERT INTO `+table+`_fts (rowid, search) VALUES ($1, $2)`, id, doc)
	return nil
}

// unindexSearch removes row id from the SQLite index (at the end of the
// transaction, as indexSearch writes it); call it when deleting
// the row. A stale entry would otherwise match the next row, which SQLite
// gives the same id when the deleted row had the largest. On PostgreSQL the
// tsvector goes with the row.
func unindexSearch(ctx context.Context, tx *Tx, table string, id int64) error {
	mustSearchNames(table)
	if tx.db.Dialect == Postgres {
		return nil
	}
	// Contentless-delete: the rowid alone is enough; deleting one not in
	// the index is a no-op.
	tx.deferExec(`DELETE FROM `+table+`_fts WHERE rowid = $1`, id)
	return nil
}
