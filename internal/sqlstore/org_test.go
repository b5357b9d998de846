package sqlstore_test

import (
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
	"lianluo/internal/sqlstore/storetest"
)

func TestOrgs(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		storetest.MustLoadRegions(t, db, "330206")
		ctx := storetest.SystemContext()
		district := &lianluo.Org{Kind: "npc", Name: "北仑区人大常委会", RegionCode: "330206000000"}
		if err := db.CreateOrg(ctx, district); err != nil {
			t.Fatal(err)
		}
		if got, want := district.RegionCode, "330206"; got != want {
			t.Errorf("RegionCode = %q; want %q (normalised)", got, want)
		}
		town := &lianluo.Org{Kind: "npc", Name: "大碶街道人大工委", RegionCode: "330206004", ParentID: &district.ID}
		if err := db.CreateOrg(ctx, town); err != nil {
			t.Fatal(err)
		}
		got, err := db.FindOrgByID(ctx, town.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.ParentName != "北仑区人大常委会" || got.RegionName != "大碶街道" || got.Version != 1 {
			t.Errorf("FindOrgByID = %+v", got)
		}

		// Bad input changes nothing.
		for _, tc := range []struct {
			name  string
			org   lianluo.Org
			field string
		}{
			{"no name", lianluo.Org{Kind: "npc", RegionCode: "330206"}, "name"},
			{"bad kind", lianluo.Org{Kind: "x", Name: "甲", RegionCode: "330206"}, "kind"},
			{"unknown region", lianluo.Org{Kind: "unit", Name: "甲", RegionCode: "330299"}, "region_code"},
			{"bad phone", lianluo.Org{Kind: "unit", Name: "甲", RegionCode: "330206", Phone: "12345"}, "phone"},
			{"duplicate", lianluo.Org{Kind: "npc", Name: "北仑区人大常委会", RegionCode: "330206"}, "name"},
			{"parent outside", lianluo.Org{Kind: "npc", Name: "乙", RegionCode: "330206003", ParentID: &town.ID}, "parent_id"},
		} {
			o := tc.org
			err := db.CreateOrg(ctx, &o)
			if lianluo.ErrorCode(err) != lianluo.EINVALID || lianluo.ErrorField(err) != tc.field {
				t.Errorf("%s: CreateOrg = %v; want invalid %s", tc.name, err, tc.field)
			}
		}
		_, total, err := db.FindOrgs(ctx, lianluo.OrgFilter{})
		if err != nil || total != 2 {
			t.Errorf("FindOrgs total = %d, %v; want 2", total, err)
		}

		// Updates need the current version.
		name := "大碶街道人大工作委员会"
		up, err := db.UpdateOrg(ctx, town.ID, lianluo.OrgUpdate{Name: &name, Version: 1})
		if err != nil {
			t.Fatal(err)
		}
		if up.Version != 2 || up.Name != name {
			t.Errorf("UpdateOrg = %+v", up)
		}
		if _, err := db.UpdateOrg(ctx, town.ID, lianluo.OrgUpdate{Name: &name, Version: 1}); lianluo.ErrorCode(err) != lianluo.ESTALE {
			t.Errorf("stale UpdateOrg = %v; want stale_version", err)
		}
		// A cycle in the chain is refused.
		if _, err := db.UpdateOrg(ctx, district.ID, lianluo.OrgUpdate{ParentID: &town.ID, Version: 1}); lianluo.ErrorField(err) != "parent_id" {
			t.Errorf("cycle UpdateOrg = %v; want parent_id error", err)
		}
	})
}
