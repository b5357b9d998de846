package sqlstore_test

import (
	"context"
	"slices"
	"testing"

	"lianluo"
	"lianluo/internal/sqlstore"
)

// The channels a deployment delivers come with the configuration to Open:
// a user may choose them in 通知设置, and no others.
func TestOpenChannels(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		channels []string
		want     []string
	}{
		{nil, []string{lianluo.ChannelSMS}},
		{[]string{lianluo.ChannelEmail}, []string{lianluo.ChannelSMS, lianluo.ChannelEmail}},
	} {
		cfg := sqlstore.Config{DataDir: t.TempDir(), PasswordHash: sqlstore.PasswordHashForTests, Channels: slices.Clone(tc.channels)}
		db, err := sqlstore.Open(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if cfg.Channels != nil {
			cfg.Channels[0] = "changed" // the store keeps its own copy
		}
		ctx := lianluo.NewContextWithActor(context.Background(), lianluo.SystemActor())
		u := &lianluo.User{Username: "admin", Password: "Beilun#2026q", DisplayName: "管理员", Roles: []lianluo.Grant{{Role: lianluo.RoleAdmin}}}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		p, err := db.NotificationPrefs(lianluo.NewContextWithActor(context.Background(), &lianluo.Actor{User: u}))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(p.Available, tc.want) {
			t.Errorf("Open with Channels %v: available %v; want %v", tc.channels, p.Available, tc.want)
		}
	}
}
