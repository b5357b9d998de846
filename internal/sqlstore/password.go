package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// PasswordHashParams are argon2id's cost parameters. Hashes are stored as
// PHC strings carrying them, so they can be raised later without breaking
// old hashes.
type PasswordHashParams struct {
	Time      uint32
	MemoryKiB uint32
}

// PasswordHashDefault is OWASP's second recommendation: m=19 MiB, t=2, p=1;
// ~27 ms a hash on the reference machine.
var PasswordHashDefault = PasswordHashParams{Time: 2, MemoryKiB: 19 * 1024}

// PasswordHashForTests is for test databases only: argon2id at the lowest
// cost, ~0.1 ms a hash.
var PasswordHashForTests = PasswordHashParams{Time: 1, MemoryKiB: 64}

const (
	argonThreads = 1
	argonKeyLen  = 32
)

// hashPassword returns a PHC string. Concurrent hashing is bounded: each hash
// takes 19 MiB, and a burst of logins must not exhaust memory.
func (db *DB) hashPassword(ctx context.Context, password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	if err := db.acquireHash(ctx); err != nil {
		return "", err
	}
	defer db.releaseHash()
	key := argon2.IDKey([]byte(password), salt, db.argon.Time, db.argon.MemoryKiB, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, db.argon.MemoryKiB, db.argon.Time, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// checkPassword compares a password with a PHC string in constant time.
func (db *DB) checkPassword(ctx context.Context, password, phc string) (bool, error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, fmt.Errorf("unknown password hash format")
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, fmt.Errorf("bad password hash parameters: %w", err)
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, err
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, err
	}
	if err := db.acquireHash(ctx); err != nil {
		return false, err
	}
	defer db.releaseHash()
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

func (db *DB) acquireHash(ctx context.Context) error {
	select {
	case db.hashSem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (db *DB) releaseHash() { <-db.hashSem }

// dummyHash is checked against when the user does not exist, so that a
// login for an unknown name takes as long as one for a known name: a hash
// of the same cost as the real ones.
func (db *DB) dummyHash() string {
	return fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=1$c2FsdHNhbHRzYWx0c2FsdA$2rQmZVYxRbTzkTfzHUL2OyPk7vE3SxAUhKBWOw5dQxE",
		db.argon.MemoryKiB, db.argon.Time)
}
