package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"lianluo"
)

// FindRegion returns one region by its code (data-set form or 12-digit padded).
func (db *DB) FindRegion(ctx context.Context, code string) (_ *lianluo.Region, err error) {
	defer wrap(&err, "FindRegion(%q)", code)
	return findRegion(ctx, db.reader(), code)
}

func findRegion(ctx context.Context, c conn, code string) (*lianluo.Region, error) {
	norm := lianluo.NormalizeRegionCode(code)
	if norm == "" {
		return nil, lianluo.FieldError("region_code", "行政区划代码“%s”格式不正确。", lianluo.Truncate(code, 20))
	}
	var r lianluo.Region
	err := c.QueryRow(ctx, `SELECT code, name, level, parent_code FROM regions WHERE code = $1`, norm).
		Scan(&r.Code, &r.Name, &r.Level, &r.ParentCode)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.Errorf(lianluo.ENOTFOUND, "行政区划“%s”不存在。", norm)
	}
	return &r, err
}

// requireRegion checks a region code given as input and returns its
// data-set form; a malformed or unknown code is an input error on field.
// On error it returns the code unchanged, so a form can show what was typed.
func requireRegion(ctx context.Context, c conn, field, code string) (string, error) {
	r, err := requireRegionRow(ctx, c, field, code)
	if err != nil {
		return code, err
	}
	return r.Code, nil
}

// requireRegionRow is requireRegion returning the region found.
func requireRegionRow(ctx context.Context, c conn, field, code string) (*lianluo.Region, error) {
	r, err := findRegion(ctx, c, code)
	if lianluo.Is(err, lianluo.ENOTFOUND) || lianluo.Is(err, lianluo.EINVALID) {
		return nil, lianluo.FieldError(field, "行政区划代码“%s”不存在，请从列表中选择。", lianluo.Truncate(code, 20))
	}
	return r, err
}

// FindRegions lists regions in code order.
func (db *DB) FindRegions(ctx context.Context, f lianluo.RegionFilter) (_ []*lianluo.Region, _ int, err error) {
	defer wrap(&err, "FindRegions")
	var w where
	if f.Parent != nil {
		p := *f.Parent
		if p != "" {
			if p = lianluo.NormalizeRegionCode(p); p == "" {
				return nil, 0, lianluo.FieldError("parent", "上级行政区划代码格式不正确。")
			}
		}
		w.add("parent_code = " + w.arg(p))
	}
	if f.Under != nil && *f.Under != "" {
		u := lianluo.NormalizeRegionCode(*f.Under)
		if u == "" {
			return nil, 0, lianluo.FieldError("under", "行政区划代码格式不正确。")
		}
		w.add("code LIKE " + w.arg(u+"%"))
	}
	if f.Q != "" {
		w.add(`name LIKE ` + w.arg(likeContains(f.Q)) + ` ESCAPE '\'`)
	}
	if f.Level != "" {
		if _, ok := lianluo.LevelNames[f.Level]; !ok {
			return nil, 0, lianluo.FieldError("level", "层级取值无效。")
		}
		w.add("level = " + w.arg(f.Level))
	}
	q := `SELECT code, name, level, parent_code, COUNT(*) OVER () FROM regions` + w.String() + ` ORDER BY code` + w.page(f.Page)
	return queryList(ctx, db.reader(), q, w.args, func(s interface{ Scan(...any) error }, r *lianluo.Region, n *int) error {
		return s.Scan(&r.Code, &r.Name, &r.Level, &r.ParentCode, n)
	})
}

// RegionPath returns the region and its ancestors, root first.
func (db *DB) RegionPath(ctx context.Context, code string) (_ []*lianluo.Region, err error) {
	defer wrap(&err, "RegionPath(%q)", code)
	var path []*lianluo.Region
	for code != "" && len(path) < 6 {
		r, err := findRegion(ctx, db.reader(), code)
		if err != nil {
			return nil, err
		}
		path = append([]*lianluo.Region{r}, path...)
		code = r.ParentCode
	}
	return path, nil
}

// ImportRegions inserts or updates regions, parents before children, in one
// transaction, in batches of multi-row INSERTs (a district is ~300 rows; the
// whole country ~660,000).
func (db *DB) ImportRegions(ctx context.Context, rs []lianluo.Region) (_ int, err error) {
	defer wrap(&err, "ImportRegions(%d)", len(rs))
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return 0, err
	}
	if !a.IsSystemAdmin() {
		return 0, lianluo.Forbidden()
	}
	err = db.transact(ctx, func(tx *Tx) error {
		const batch = 500
		for start := 0; start < len(rs); start += batch {
			end := min(start+batch, len(rs))
			var w where
			var vals []string
			for _, r := range rs[start:end] {
				if lianluo.LevelOfCode(r.Code) == "" {
					return fmt.Errorf("bad region code %q", r.Code)
				}
				vals = append(vals, "("+w.arg(r.Code)+", "+w.arg(r.Name)+", "+w.arg(r.Level)+", "+w.arg(r.ParentCode)+")")
			}
			q := `INSERT INTO regions (code, name, level, parent_code) VALUES ` + strings.Join(vals, ", ") + `
				ON CONFLICT (code) DO UPDATE SET name = excluded.name, level = excluded.level, parent_code = excluded.parent_code`
			if _, err := tx.Exec(ctx, q, w.args...); err != nil {
				return err
			}
		}
		return tx.event(ctx, lianluo.EntityRegion, 0, lianluo.AuditImport, fmt.Sprintf("导入行政区划%d条", len(rs)))
	})
	if err != nil {
		return 0, err
	}
	return len(rs), nil
}
