package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"

	"lianluo"
)

// Categories lists the category tree.
func (db *DB) Categories(ctx context.Context) (_ []lianluo.Category, err error) {
	defer wrap(&err, "Categories")
	rows, err := db.reader().Query(ctx, `SELECT id, parent_id, name FROM categories WHERE active = TRUE ORDER BY COALESCE(parent_id, id), parent_id IS NOT NULL, position, id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []lianluo.Category{}
	for rows.Next() {
		var c lianluo.Category
		if err := rows.Scan(&c.ID, &c.ParentID, &c.Name); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AddAttachment stores a photo or PDF on a case the caller can see and
// work on. The type is sniffed from the bytes, never taken from the name.
func (db *DB) AddAttachment(ctx context.Context, caseID int64, name string, data []byte) (_ *lianluo.Attachment, err error) {
	defer wrap(&err, "AddAttachment(%d)", caseID)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	ct, ext, err := lianluo.SniffAttachment(data)
	if err != nil {
		return nil, err
	}
	name = strings.TrimSpace(filepath.Base(strings.ReplaceAll(name, `\`, "/")))
	if name == "" || name == "." || name == "/" {
		name = "附件" + ext
	}
	if r := []rune(name); len(r) > 100 {
		name = string(r[len(r)-100:])
	}
	att := &lianluo.Attachment{CaseID: caseID, Name: name, ContentType: ct, Size: len(data)}
	err = db.transact(ctx, func(tx *Tx) error {
		c, err := findCase(ctx, tx.conn, caseID)
		if err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM case_attachments WHERE case_id = $1`, caseID).Scan(&n); err != nil {
			return err
		}
		if err := lianluo.CheckAttach(a, c, n); err != nil {
			return err
		}
		var by *int64
		if a.User.ID != 0 {
			by = &a.User.ID
		}
		att.CreatedAt = tx.now
		if err := tx.QueryRow(ctx, `INSERT INTO case_attachments (case_id, name, content_type, size, data, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, caseID, name, ct, len(data), data, by, tx.now).Scan(&att.ID); err != nil {
			return err
		}
		return caseEvent(ctx, tx, caseID, lianluo.StepAttach, "", "", "添加附件："+name)
	})
	if err != nil {
		return nil, err
	}
	return att, nil
}

// FindAttachments lists a case's attachments (without their bytes).
func (db *DB) FindAttachments(ctx context.Context, caseID int64) (_ []lianluo.Attachment, err error) {
	defer wrap(&err, "FindAttachments(%d)", caseID)
	if _, err := findCase(ctx, db.reader(), caseID); err != nil {
		return nil, err
	}
	rows, err := db.reader().Query(ctx, `SELECT id, name, content_type, size, created_at FROM case_attachments WHERE case_id = $1 ORDER BY id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []lianluo.Attachment{}
	for rows.Next() {
		at := lianluo.Attachment{CaseID: caseID}
		if err := rows.Scan(&at.ID, &at.Name, &at.ContentType, &at.Size, &at.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, at)
	}
	return out, rows.Err()
}

// FindAttachment returns one attachment with its bytes.
func (db *DB) FindAttachment(ctx context.Context, caseID, id int64) (_ *lianluo.Attachment, err error) {
	defer wrap(&err, "FindAttachment(%d, %d)", caseID, id)
	if _, err := findCase(ctx, db.reader(), caseID); err != nil {
		return nil, err
	}
	at := lianluo.Attachment{CaseID: caseID}
	err = db.reader().QueryRow(ctx, `SELECT id, name, content_type, size, created_at, data FROM case_attachments WHERE case_id = $1 AND id = $2`, caseID, id).
		Scan(&at.ID, &at.Name, &at.ContentType, &at.Size, &at.CreatedAt, &at.Data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("附件")
	}
	return &at, err
}

var (
	_ lianluo.SettingsService   = (*DB)(nil)
	_ lianluo.AttachmentService = (*DB)(nil)
)
