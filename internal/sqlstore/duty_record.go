package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"lianluo"
)

// Duty records (履职登记, docs/duty-records.md). A deputy records their
// own; the office over the deputy's region or the staff of one of the
// deputy's stations record for them, and confirm or return them. Who may
// do what is lianluo.DutyRecordPowers; read scope is that of the diary: a
// deputy their own, the office their region's deputies', station staff
// their stations' deputies'.

const dutyColumns = `r.id, r.deputy_id, d.name, r.region_code, r.kind, r.done_on, r.description, r.status, r.reason,
	COALESCE(ud.display_name, ''), r.decided_at, COALESCE(uc.display_name, ''),
	(SELECT COUNT(*) FROM duty_record_photos p WHERE p.record_id = r.id), r.version, r.created_at, r.updated_at`

const dutyFrom = ` FROM duty_records r JOIN deputies d ON d.id = r.deputy_id
	LEFT JOIN users ud ON ud.id = r.decided_by LEFT JOIN users uc ON uc.id = r.created_by`

func scanDuty(sc interface{ Scan(...any) error }, r *lianluo.DutyRecord, extra ...any) error {
	return sc.Scan(append([]any{&r.ID, &r.DeputyID, &r.DeputyName, &r.RegionCode, &r.Kind, &r.Date, &r.Description,
		&r.Status, &r.Reason, &r.DecidedBy, &r.DecidedAt, &r.CreatedBy, &r.Photos, &r.Version, &r.CreatedAt, &r.UpdatedAt}, extra...)...)
}

// findDuty loads a record inside the caller's scope.
func findDuty(ctx context.Context, c conn, id int64) (*lianluo.DutyRecord, error) {
	var w where
	w.add("r.id = " + w.arg(id))
	scopeDiary(&w, lianluo.ActorFromContext(ctx), "r")
	var r lianluo.DutyRecord
	err := scanDuty(c.QueryRow(ctx, `SELECT `+dutyColumns+dutyFrom+w.String(), w.args...), &r)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("履职登记")
	}
	return &r, err
}

// recordPowers reads the record id and whether the actor may record for its
// deputy and decide on it (lianluo.DutyRecordPowers).
func recordPowers(ctx context.Context, c conn, a *lianluo.Actor, id int64) (r *lianluo.DutyRecord, record, decide bool, err error) {
	if r, err = findDuty(ctx, c, id); err != nil {
		return nil, false, false, err
	}
	staff, err := staffsDeputyID(ctx, c, a, r.DeputyID, r.RegionCode)
	if err != nil {
		return nil, false, false, err
	}
	record, decide = lianluo.DutyRecordPowers(a, r.DeputyID, staff)
	return r, record, decide, nil
}

// staffsDeputyID reports whether the actor is the office over the region
// (the deputy's) or staff at one of the deputy's stations.
func staffsDeputyID(ctx context.Context, c conn, a *lianluo.Actor, deputyID int64, region string) (bool, error) {
	if a.CanManageRegion(region) {
		return true, nil
	}
	st := a.StaffStations()
	if len(st) == 0 {
		return false, nil
	}
	var w where
	q := `SELECT COUNT(*) FROM station_deputies WHERE deputy_id = ` + w.arg(deputyID) + ` AND station_id IN ` + w.in(st)
	var n int
	if err := c.QueryRow(ctx, q, w.args...).Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}

// dutyPowers finds the deputy in the caller's scope and applies
// lianluo.DutyRecordPowers; a deputy outside the scope is not found.
func dutyPowers(ctx context.Context, c conn, a *lianluo.Actor, deputyID int64) (region string, record, decide bool, err error) {
	d, err := findDeputyByID(ctx, c, deputyID)
	if err != nil {
		return "", false, false, err
	}
	staff, err := staffsDeputyID(ctx, c, a, d.ID, d.RegionCode)
	if err != nil {
		return "", false, false, err
	}
	record, decide = lianluo.DutyRecordPowers(a, d.ID, staff)
	return d.RegionCode, record, decide, nil
}

// DutyRecordPowers says whether the caller may record for the deputy and
// decide on their records (the pages show the form and buttons by it).
func (db *DB) DutyRecordPowers(ctx context.Context, deputyID int64) (record, decide bool, err error) {
	defer wrap(&err, "DutyRecordPowers(%d)", deputyID)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return false, false, err
	}
	_, record, decide, err = dutyPowers(ctx, db.reader(), a, deputyID)
	return record, decide, err
}

// CreateDutyRecord records a deputy's duty, pending confirmation.
func (db *DB) CreateDutyRecord(ctx context.Context, in lianluo.DutyRecordInput) (_ *lianluo.DutyRecord, err error) {
	defer wrap(&err, "CreateDutyRecord")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if in.DeputyID == 0 {
		own, ok := a.OwnDeputy()
		if !ok {
			return nil, lianluo.FieldError("deputy_id", "请选择代表。")
		}
		in.DeputyID = own
	}
	var id int64
	err = db.transact(ctx, func(tx *Tx) error {
		if err := in.Validate(tx.now); err != nil {
			return err
		}
		region, record, _, err := dutyPowers(ctx, tx.conn, a, in.DeputyID)
		if lianluo.ErrorCode(err) == lianluo.ENOTFOUND {
			return lianluo.FieldError("deputy_id", "代表不存在或不在您的范围内。")
		} else if err != nil {
			return err
		}
		if !record {
			return lianluo.Errorf(lianluo.EFORBIDDEN, "只有代表本人或其所在联络站、人大机构的工作人员可以登记履职。")
		}
		err = tx.QueryRow(ctx, `
			INSERT INTO duty_records (
				deputy_id,
				region_code,
				kind,
				done_on,
				description,
				status,
				created_by,
				version,
				created_at,
				updated_at
			) VALUES ($1, $2, $3, $4, $5, 'pending', $6, 1, $7, $7)
			RETURNING id`,
			in.DeputyID, region, string(in.Kind), in.Date, in.Description, userRef(a), tx.now).Scan(&id)
		if err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityDutyRecord, id, lianluo.AuditCreate,
			fmt.Sprintf("登记履职：%s %s", in.Kind.Name(), in.Date))
	})
	if err != nil {
		return nil, err
	}
	return db.FindDutyRecordByID(ctx, id)
}

// FindDutyRecords lists records in scope, latest first.
func (db *DB) FindDutyRecords(ctx context.Context, f lianluo.DutyRecordFilter) (_ []*lianluo.DutyRecord, _ int, err error) {
	defer wrap(&err, "FindDutyRecords")
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	var w where
	scopeDiary(&w, lianluo.ActorFromContext(ctx), "r")
	if f.DeputyID != 0 {
		w.add("r.deputy_id = " + w.arg(f.DeputyID))
	}
	if f.Kind != "" {
		w.add("r.kind = " + w.arg(string(f.Kind)))
	}
	if f.Status != "" {
		w.add("r.status = " + w.arg(string(f.Status)))
	}
	if f.Year != 0 {
		w.add("r.done_on >= " + w.arg(fmt.Sprintf("%d-01-01", f.Year)) + " AND r.done_on < " + w.arg(fmt.Sprintf("%d-01-01", f.Year+1)))
	}
	return queryList(ctx, db.reader(), `SELECT `+dutyColumns+`, COUNT(*) OVER ()`+dutyFrom+w.String()+
		` ORDER BY r.done_on DESC, r.id DESC`+w.page(f.Page), w.args,
		func(sc interface{ Scan(...any) error }, r *lianluo.DutyRecord, n *int) error {
			return scanDuty(sc, r, n)
		})
}

// FindDutyRecordByID returns a record in scope.
func (db *DB) FindDutyRecordByID(ctx context.Context, id int64) (_ *lianluo.DutyRecord, err error) {
	defer wrap(&err, "FindDutyRecordByID(%d)", id)
	return findDuty(ctx, db.reader(), id)
}

// UpdateDutyRecord corrects a record not yet confirmed; a returned one
// goes back to pending, its reason kept in the audit trail only.
func (db *DB) UpdateDutyRecord(ctx context.Context, id int64, u lianluo.DutyRecordUpdate) (_ *lianluo.DutyRecord, err error) {
	defer wrap(&err, "UpdateDutyRecord(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		r, record, _, err := recordPowers(ctx, tx.conn, a, id)
		if err != nil {
			return err
		}
		if !record {
			return lianluo.Errorf(lianluo.EFORBIDDEN, "只有代表本人或其所在联络站、人大机构的工作人员可以修改履职登记。")
		}
		if err := lianluo.CheckVersion("该履职登记", u.Version, r.Version); err != nil {
			return err
		}
		if r.Status == lianluo.DutyConfirmed {
			return lianluo.Errorf(lianluo.ESTATE, "这条履职登记已确认，不能再修改。")
		}
		in := u.Apply(r)
		if err := in.Validate(tx.now); err != nil {
			return err
		}
		res, err := tx.Exec(ctx, `
			UPDATE duty_records SET
				kind = $1,
				done_on = $2,
				description = $3,
				status = 'pending',
				reason = '',
				decided_by = NULL,
				decided_at = NULL,
				version = version + 1,
				updated_at = $4
			WHERE id = $5 AND version = $6 AND status <> 'confirmed'`,
			string(in.Kind), in.Date, in.Description, tx.now, id, u.Version)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		summary := "修改履职登记"
		if r.Status == lianluo.DutyReturned {
			summary = "修改后重新提交履职登记"
		}
		return tx.event(ctx, lianluo.EntityDutyRecord, id, lianluo.AuditUpdate, summary)
	})
	if err != nil {
		return nil, err
	}
	return db.FindDutyRecordByID(ctx, id)
}

// DecideDutyRecord confirms a pending record, or returns it with a reason.
func (db *DB) DecideDutyRecord(ctx context.Context, id int64, d lianluo.DutyDecision) (_ *lianluo.DutyRecord, err error) {
	defer wrap(&err, "DecideDutyRecord(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		r, _, decide, err := recordPowers(ctx, tx.conn, a, id)
		if err != nil {
			return err
		}
		if !decide {
			return lianluo.Errorf(lianluo.EFORBIDDEN, "只有代表所在联络站或人大机构的工作人员可以确认履职登记。")
		}
		if err := lianluo.CheckVersion("该履职登记", d.Version, r.Version); err != nil {
			return err
		}
		if r.Status != lianluo.DutyPending {
			return lianluo.Errorf(lianluo.ESTATE, "这条履职登记已%s，不能再次处理。", r.Status.Name())
		}
		status, action, summary := lianluo.DutyConfirmed, lianluo.AuditApprove, "确认履职登记"
		if d.Decision == lianluo.DutyDecideReturn {
			status, action, summary = lianluo.DutyReturned, lianluo.AuditReturn, "退回履职登记："+lianluo.Truncate(d.Reason, 50)
		}
		res, err := tx.Exec(ctx, `
			UPDATE duty_records SET
				status = $1,
				reason = $2,
				decided_by = $3,
				decided_at = $4,
				version = version + 1,
				updated_at = $4
			WHERE id = $5 AND version = $6 AND status = 'pending'`,
			string(status), d.Reason, userRef(a), tx.now, id, d.Version)
		if err != nil {
			return err
		}
		if err := checkOne(res); err != nil {
			return err
		}
		if status == lianluo.DutyReturned {
			if err := notifyDutyReturned(ctx, tx, r, d.Reason); err != nil {
				return err
			}
		}
		return tx.event(ctx, lianluo.EntityDutyRecord, id, action, summary)
	})
	if err != nil {
		return nil, err
	}
	return db.FindDutyRecordByID(ctx, id)
}

// notifyDutyReturned tells the deputy's accounts in-app why their record
// came back, so that they can add what was missing.
func notifyDutyReturned(ctx context.Context, tx *Tx, r *lianluo.DutyRecord, reason string) error {
	users, err := queryIDs(ctx, tx.conn, `SELECT DISTINCT u.id FROM users u JOIN user_roles ur ON ur.user_id = u.id
		WHERE u.active = TRUE AND ur.role = $1 AND ur.deputy_id = $2 ORDER BY u.id`, lianluo.RoleDeputy, r.DeputyID)
	if err != nil {
		return err
	}
	_, body := lianluo.Message(lianluo.MsgDutyReturned, r.Kind.Name(), r.Date, lianluo.Truncate(reason, 100))
	for _, u := range users {
		uid := u
		if err := enqueue(ctx, tx, lianluo.Notification{UserID: &uid, Template: lianluo.MsgDutyReturned, Body: body,
			DedupeKey: fmt.Sprintf("duty_returned:%d:%d", r.ID, u)}); err != nil {
			return err
		}
	}
	return nil
}

// AddDutyPhoto keeps a photo of a pending record, for whoever may record
// for its deputy.
func (db *DB) AddDutyPhoto(ctx context.Context, id int64, data []byte) (_ *lianluo.DutyRecord, err error) {
	defer wrap(&err, "AddDutyPhoto(%d)", id)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	ct, err := lianluo.SniffPhoto("photo", data)
	if err != nil {
		return nil, err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		r, record, _, err := recordPowers(ctx, tx.conn, a, id)
		if err != nil {
			return err
		}
		if !record {
			return lianluo.Errorf(lianluo.EFORBIDDEN, "只有代表本人或其所在联络站、人大机构的工作人员可以上传照片。")
		}
		if r.Status != lianluo.DutyPending {
			return lianluo.Errorf(lianluo.ESTATE, "这条履职登记已%s，不能再添加照片。", r.Status.Name())
		}
		if r.Photos >= lianluo.MaxDutyPhotos {
			return lianluo.Errorf(lianluo.ESTATE, "每条履职登记最多%d张照片。", lianluo.MaxDutyPhotos)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO duty_record_photos (record_id, content_type, data, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5)`, id, ct, data, userRef(a), tx.now); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntityDutyRecord, id, lianluo.AuditPhoto, "上传履职照片")
	})
	if err != nil {
		return nil, err
	}
	return db.FindDutyRecordByID(ctx, id)
}

// DutyPhoto returns the n-th (from 1) photo of a record in scope.
func (db *DB) DutyPhoto(ctx context.Context, id int64, n int) (_ *lianluo.Photo, err error) {
	defer wrap(&err, "DutyPhoto(%d, %d)", id, n)
	c := db.reader()
	if _, err := findDuty(ctx, c, id); err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, lianluo.NotFound("照片")
	}
	var p lianluo.Photo
	err = c.QueryRow(ctx, `SELECT content_type, data, created_at FROM duty_record_photos WHERE record_id = $1 ORDER BY id LIMIT 1 OFFSET $2`,
		id, n-1).Scan(&p.ContentType, &p.Data, &p.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, lianluo.NotFound("照片")
	}
	return &p, err
}
