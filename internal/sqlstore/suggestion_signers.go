package sqlstore

import (
	"context"

	"lianluo"
)

// The NPC bodies a caller may raise suggestions to, and the deputies who may
// sign one (lianluo.SuggestionBody, lianluo.SignerChoice): what the deputy's
// phone offers; createSuggestion checks every choice again.

type suggestionBody struct {
	lianluo.SuggestionBody
	region string
}

// suggestionBodies lists the active NPC bodies the caller may raise
// suggestions to (one when id is not 0): a deputy's the bodies over their
// region, as scopeSessions; NPC staff their own bodies; the system
// administrator every body.
func suggestionBodies(ctx context.Context, cn conn, a *lianluo.Actor, id int64) ([]suggestionBody, error) {
	if !lianluo.CanRaiseSuggestions(a) {
		return nil, lianluo.Forbidden()
	}
	var w where
	w.add("o.kind = " + w.arg(lianluo.OrgNPC))
	w.add("o.active = TRUE")
	if id != 0 {
		w.add("o.id = " + w.arg(id))
	}
	if !a.Scope.All {
		var or []string
		if a.HasAny(lianluo.RoleNPCOffice, lianluo.RoleNPCLeader) && len(a.Scope.Orgs) > 0 {
			or = append(or, "o.id IN "+w.in(a.Scope.Orgs))
		}
		if own, ok := a.OwnDeputy(); ok {
			or = append(or, "EXISTS (SELECT 1 FROM deputies d WHERE d.id = "+w.arg(own)+" AND d.region_code LIKE o.region_code || '%')")
		}
		if len(or) == 0 {
			return nil, nil
		}
		addOr(&w, or)
	}
	var out []suggestionBody
	err := scanEach(ctx, cn, `SELECT o.id, o.name, COALESCE(r.level, ''), o.region_code FROM orgs o LEFT JOIN regions r ON r.code = o.region_code`+
		w.String()+` ORDER BY LENGTH(o.region_code) DESC, o.region_code, o.id LIMIT 100`, w.args, func(sc func(...any) error) error {
		var b suggestionBody
		if err := sc(&b.OrgID, &b.Name, &b.Level, &b.region); err != nil {
			return err
		}
		out = append(out, b)
		return nil
	})
	return out, err
}

// SuggestionBodies lists the NPC bodies the caller may raise suggestions
// to, the nearest first.
func (db *DB) SuggestionBodies(ctx context.Context) (_ []lianluo.SuggestionBody, err error) {
	defer wrap(&err, "SuggestionBodies")
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	bodies, err := suggestionBodies(ctx, db.reader(), a, 0)
	if err != nil {
		return nil, err
	}
	out := make([]lianluo.SuggestionBody, 0, len(bodies))
	for _, b := range bodies {
		out = append(out, b.SuggestionBody)
	}
	return out, nil
}

// SignerChoices lists the in-office deputies of the body's area, who may
// sign a suggestion or bill of it, by area and name.
func (db *DB) SignerChoices(ctx context.Context, orgID int64) (_ []lianluo.SignerChoice, err error) {
	defer wrap(&err, "SignerChoices(%d)", orgID)
	a, err := lianluo.RequireActor(ctx)
	if err != nil {
		return nil, err
	}
	bodies, err := suggestionBodies(ctx, db.reader(), a, orgID)
	if err != nil {
		return nil, err
	}
	if len(bodies) == 0 {
		return nil, lianluo.NotFound("人大机构")
	}
	var w where
	w.add("d.status = " + w.arg(lianluo.DeputyInOffice))
	w.add("d.region_code LIKE " + w.arg(bodies[0].region+"%"))
	out := []lianluo.SignerChoice{}
	err = scanEach(ctx, db.reader(), `SELECT d.id, d.name, COALESCE(r.name, '') FROM deputies d LEFT JOIN regions r ON r.code = d.region_code`+
		w.String()+` ORDER BY d.region_code, d.id LIMIT `+w.arg(lianluo.MaxSignerChoices), w.args, func(sc func(...any) error) error {
		var c lianluo.SignerChoice
		if err := sc(&c.ID, &c.Name, &c.Region); err != nil {
			return err
		}
		out = append(out, c)
		return nil
	})
	return out, err
}
