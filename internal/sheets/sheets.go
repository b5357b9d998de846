// Package sheets reads and writes the registry as Excel workbooks (.xlsx):
// the import templates offices fill in, exports of what a user can see, and
// imports of filled-in sheets. Users write values in Chinese ("人大机构",
// "男", "市人大代表、区县人大代表"), never codes; this package translates
// both ways and hands rows to lianluo.ImportService, which resolves names
// and writes all or nothing.
package sheets

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"

	"lianluo"
)

// Kinds of sheet: "orgs", "stations", "deputies", "users".
var Kinds = []string{"orgs", "stations", "deputies", "users"}

// KindNames are the Chinese names of the kinds: 机构, 联络站, 代表, 用户.
var KindNames = map[string]string{
	"orgs":     "机构",
	"stations": "联络站",
	"deputies": "代表",
	"users":    "用户",
}

// kindEntities are the audit entities of the kinds' exports.
var kindEntities = map[string]lianluo.AuditEntity{
	"orgs":     lianluo.EntityOrg,
	"stations": lianluo.EntityStation,
	"deputies": lianluo.EntityDeputy,
	"users":    lianluo.EntityUser,
}

// MaxRows is the most data rows one import takes. It matches the store's
// sqlstore.MaxImportRows; adapters do not import each other, so it is
// repeated here.
const MaxRows = 5000

// kind describes one sheet: its columns, how a record is exported and how a
// row is imported.
type kind struct {
	name    string   // "orgs"
	title   string   // 机构, also the data sheet's name
	columns []column // in sheet order, export-only columns included
	notes   []string // instructions particular to this kind
	export  func(ctx context.Context, svc lianluo.Services) ([][]any, error)
	load    func(ctx context.Context, svc lianluo.Services, k *kind, recs []record) (int, error)
}

// column is one column of a sheet.
type column struct {
	title      string   // the header without the required mark; also the Field of row errors
	required   bool     // the header carries "*", and a sheet without the column is refused
	field      string   // the store's field name whose errors belong to this column
	width      float64  // in Excel character widths
	text       bool     // codes and phone numbers: written as text, read as raw digits
	choices    []string // values offered in a drop-down list
	exportOnly bool     // written by Export, ignored by Import (编号, 状态)
	aliases    []string // other headers accepted on import
	note       string   // what to write, for the instructions sheet
	example    string   // the instructions sheet's example row
}

// header is the text of the column's header cell.
func (c column) header() string {
	if c.required {
		return c.title + "*"
	}
	return c.title
}

var kinds = map[string]*kind{
	"orgs":     &orgsKind,
	"stations": &stationsKind,
	"deputies": &deputiesKind,
	"users":    &usersKind,
}

func lookup(name string) (*kind, error) {
	k, ok := kinds[name]
	if !ok {
		return nil, fileError("不支持的表格类型“%s”，可选：机构、联络站、代表、用户。", name)
	}
	return k, nil
}

// fileError is the error for a file that cannot be imported at all.
func fileError(format string, args ...any) error {
	return lianluo.FieldError("file", format, args...)
}

// templateColumns are the columns a user fills in.
func (k *kind) templateColumns() []column {
	var out []column
	for _, c := range k.columns {
		if !c.exportOnly {
			out = append(out, c)
		}
	}
	return out
}

// Template returns an empty workbook for the kind: the header row, and a
// second sheet "填写说明" explaining each column with an example row.
func Template(kind string) ([]byte, error) {
	k, err := lookup(kind)
	if err != nil {
		return nil, err
	}
	return k.book(k.templateColumns(), nil)
}

// Export writes every record of the kind the caller (the actor in ctx) can
// see, in the template's columns plus the export-only ones (编号 first and,
// where records can be deactivated, 状态 last), so that an export can be
// edited and imported elsewhere or used as a reference.
func Export(ctx context.Context, svc lianluo.Services, kind string) ([]byte, error) {
	k, err := lookup(kind)
	if err != nil {
		return nil, err
	}
	rows, err := k.export(ctx, svc)
	if err != nil {
		return nil, err
	}
	// Every export is on the record, whoever asks (console, API, CLI).
	if err := svc.Events.RecordEvent(ctx, kindEntities[k.name], 0, lianluo.AuditExport, fmt.Sprintf("导出%s（Excel，%d 条）", k.title, len(rows))); err != nil {
		return nil, err
	}
	return k.book(k.columns, rows)
}

// Import reads the first sheet of the workbook in r and imports its rows
// through svc.Imports, all or nothing. It returns the number of records
// created. Bad rows are reported as lianluo.RowErrors whose Row is the Excel
// row number (the header is row 1) and whose Field is the column title; a
// file that cannot be read, has no header or has too many rows is an
// EINVALID error on field "file". Blank rows are skipped.
func Import(ctx context.Context, svc lianluo.Services, kind string, r io.Reader) (int, error) {
	k, err := lookup(kind)
	if err != nil {
		return 0, err
	}
	recs, err := k.read(r)
	if err != nil {
		return 0, err
	}
	if len(recs) == 0 {
		return 0, fileError("表格中没有要导入的数据：请从表头下一行起每行填写一条%s。", k.title)
	}
	return k.load(ctx, svc, k, recs)
}

// problems collects what is wrong with the rows of a sheet.
type problems struct {
	errs lianluo.RowErrors
}

// add records a problem in the record's row, in the column titled title.
func (p *problems) add(r record, title, format string, args ...any) {
	p.errs = append(p.errs, lianluo.RowError{Row: r.line, Field: title, Message: fmt.Sprintf(format, args...)})
}

// load parses every record and, if they all parse, hands the rows to the
// store. Parse problems are reported without calling the store: the store
// writes whatever is valid, and a sheet with problems must write nothing.
func load[T any](ctx context.Context, k *kind, recs []record, parse func(record, *problems) T,
	store func(context.Context, []T) error) (int, error) {
	var p problems
	rows := make([]T, len(recs))
	for i, r := range recs {
		rows[i] = parse(r, &p)
	}
	if len(p.errs) > 0 {
		return 0, k.sorted(p.errs)
	}
	err := store(ctx, rows)
	var re lianluo.RowErrors
	if errors.As(err, &re) {
		out := make(lianluo.RowErrors, len(re))
		for i, e := range re {
			out[i] = lianluo.RowError{Field: k.fieldTitle(e.Field), Message: e.Message}
			if e.Row >= 0 && e.Row < len(recs) {
				out[i].Row = recs[e.Row].line
			}
		}
		return 0, k.sorted(out)
	} else if err != nil {
		return 0, err
	}
	return len(rows), nil
}

// fieldTitle maps a store field name to its column title, or "" for a field
// the sheet has no column for.
func (k *kind) fieldTitle(field string) string {
	for _, c := range k.columns {
		if c.field != "" && c.field == field {
			return c.title
		}
	}
	return ""
}

// sorted orders row errors by row, then by column.
func (k *kind) sorted(errs lianluo.RowErrors) lianluo.RowErrors {
	pos := func(title string) int {
		return slices.IndexFunc(k.columns, func(c column) bool { return c.title == title })
	}
	slices.SortStableFunc(errs, func(a, b lianluo.RowError) int {
		return cmp.Or(cmp.Compare(a.Row, b.Row), cmp.Compare(pos(a.Field), pos(b.Field)))
	})
	return errs
}
