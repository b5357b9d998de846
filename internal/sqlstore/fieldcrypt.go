package sqlstore

// Voters' personal data at rest (等保 2.0, 个人信息保护): a voter's phone,
// address and ID number are stored sealed with AES-256-GCM, each value with
// its own random 96-bit nonce, as the text envelope
//
//	v1:<key id>:<base64 of nonce ‖ ciphertext ‖ tag>
//
// so that a key rotation can tell the keys apart. Beside a sealed phone the
// row keeps its last four digits (masking, the tracking look-up) and a keyed
// hash, HMAC-SHA256 under a key derived from the master key, for equality
// look-ups without decrypting.
//
// The key file holds one key a line, "<id> <base64 of 32 bytes>", oldest
// first; the last line is the key new values are sealed with, the others stay
// readable (a rotation appends a key and re-seals every value, README
// "## Security").

import (
	"bufio"
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"lianluo"
)

// KeyFileName is the key file's name in the SQLite data folder.
const KeyFileName = "lianluo.key"

const envelopeVersion = "v1"

type fieldKey struct {
	id   string
	raw  []byte
	aead cipher.AEAD
	mac  []byte // the look-up hash key, HMAC-SHA256(raw, "lianluo phone lookup v1")
}

// keyring is the key file's keys; the last is the one new values are sealed with.
type keyring struct {
	path      string
	generated bool // the file was made by this start (loadKeyring)

	mu   sync.RWMutex // keys and byID: swapped whole by reload
	keys []*fieldKey
	byID map[string]*fieldKey
}

func newFieldKey(id string, raw []byte) (*fieldKey, error) {
	if len(raw) != 32 {
		return nil, fmt.Errorf("key %s: want 32 bytes (AES-256), got %d", id, len(raw))
	}
	block, err := aes.NewCipher(raw)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	m := hmac.New(sha256.New, raw)
	m.Write([]byte("lianluo phone lookup v1"))
	return &fieldKey{id: id, raw: raw, aead: aead, mac: m.Sum(nil)}, nil
}

// parseKeyring reads a key file's text.
func parseKeyring(path string, b []byte) (*keyring, error) {
	kr := &keyring{path: path, byID: map[string]*fieldKey{}}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 2 || strings.Contains(f[0], ":") {
			return nil, fmt.Errorf("key file %s line %d: want \"<id> <base64 key>\"", path, n)
		}
		raw, err := base64.StdEncoding.DecodeString(f[1])
		if err != nil {
			return nil, fmt.Errorf("key file %s line %d: %w", path, n, err)
		}
		k, err := newFieldKey(f[0], raw)
		if err != nil {
			return nil, fmt.Errorf("key file %s line %d: %w", path, n, err)
		}
		if kr.byID[k.id] != nil {
			return nil, fmt.Errorf("key file %s line %d: key id %s twice", path, n, k.id)
		}
		kr.keys = append(kr.keys, k)
		kr.byID[k.id] = k
	}
	if len(kr.keys) == 0 {
		return nil, fmt.Errorf("key file %s holds no key", path)
	}
	return kr, nil
}

// newKeyLine returns a new random key as a key file line.
func newKeyLine() string {
	raw := make([]byte, 32)
	rand.Read(raw)
	id := make([]byte, 4)
	rand.Read(id)
	return "k" + hex.EncodeToString(id) + " " + base64.StdEncoding.EncodeToString(raw) + "\n"
}

const keyFileHeader = "# Lianluo field encryption keys: one \"<id> <base64 key>\" a line, oldest first; the last seals new values.\n" +
	"# Back this file up apart from the database: without it the voters' phones, addresses and ID numbers cannot be read.\n"

// writeKeyFile writes text to path, 0600, through a temporary file and a rename.
func writeKeyFile(path, text string) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, []byte(text), 0o600); err != nil {
		return err
	}
	f, err := os.Open(tmp)
	if err == nil {
		f.Sync()
		f.Close()
	}
	return os.Rename(tmp, path)
}

// GenerateKeyFile writes a new key file with one key at path (it must not
// exist). The file appears whole or not at all, and of two processes making
// it at once one wins and the other gets os.ErrExist: written to a
// temporary file, then hard-linked into place.
func GenerateKeyFile(path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("key file %s: %w", path, os.ErrExist)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".lianluo-key-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.WriteString(keyFileHeader + newKeyLine()); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Link(f.Name(), path); err != nil {
		if errors.Is(err, os.ErrExist) {
			return fmt.Errorf("key file %s: %w", path, os.ErrExist)
		}
		return err
	}
	return nil
}

// loadKeyring reads the key file of cfg: KeyFile when given (it must
// exist), else lianluo.key beside the SQLite file, made on first start.
// PostgreSQL needs KeyFile: its data folder is not where the data is.
func loadKeyring(cfg Config, dialect, sqlitePath string) (*keyring, error) {
	path, generated := cfg.KeyFile, false
	if path == "" {
		if dialect == Postgres {
			return nil, errors.New("PostgreSQL 需要字段加密密钥文件：请用 --key-file / LIANLUO_KEY_FILE 指定（可用 `lianluo keys generate --out 文件` 生成，并与数据库分开备份） " +
				"(PostgreSQL needs the field encryption key: set --key-file / LIANLUO_KEY_FILE; make one with `lianluo keys generate --out FILE`)")
		}
		path = filepath.Join(filepath.Dir(sqlitePath), KeyFileName)
		if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
			// Another process starting at once may make it first: use theirs.
			if err := GenerateKeyFile(path); err == nil {
				generated = true
			} else if !errors.Is(err, os.ErrExist) {
				return nil, fmt.Errorf("create the key file %s: %w", path, err)
			}
		}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("字段加密密钥文件无法读取 (read the key file): %w", err)
	}
	kr, err := parseKeyring(path, b)
	if kr != nil {
		kr.generated = generated
	}
	return kr, err
}

// checkKeys opens the newest sealed value of each table: a database
// opened with the wrong key file (a backup restored without its key, a
// key file made afresh beside a copy) stops at start, not at the first
// page. A key file this start made for it is removed again.
func (db *DB) checkKeys(ctx context.Context) error {
	for _, t := range sealedTables {
		var v string
		err := db.reader().QueryRow(ctx, `SELECT `+t.cols[0]+` FROM `+t.table+` WHERE `+t.cols[0]+` LIKE 'v1:%' ORDER BY `+t.keyCol()+` DESC LIMIT 1`).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		} else if err != nil {
			return err
		}
		if _, err := db.keys.open(v); err != nil {
			if db.keys.generated {
				os.Remove(db.keys.path)
			}
			return fmt.Errorf("数据库中的个人信息无法用密钥文件 %s 解密：请用 --key-file / LIANLUO_KEY_FILE 指定加密它的密钥文件 "+
				"(the personal data does not open with the key file %s: give the one it was encrypted with): %w", db.keys.path, db.keys.path, err)
		}
	}
	return nil
}

func (kr *keyring) current() *fieldKey {
	kr.mu.RLock()
	defer kr.mu.RUnlock()
	return kr.keys[len(kr.keys)-1]
}

func (kr *keyring) byIDLocked(id string) *fieldKey {
	kr.mu.RLock()
	defer kr.mu.RUnlock()
	return kr.byID[id]
}

// reload reads the key file again: another process (lianluo keys rotate)
// may have added a key that values are now sealed with.
func (kr *keyring) reload() error {
	b, err := os.ReadFile(kr.path)
	if err != nil {
		return err
	}
	n, err := parseKeyring(kr.path, b)
	if err != nil {
		return err
	}
	kr.mu.Lock()
	kr.keys, kr.byID = n.keys, n.byID
	kr.mu.Unlock()
	return nil
}

// seal encrypts a value with the newest key; "" stays "".
func (kr *keyring) seal(plain string) string {
	if plain == "" {
		return ""
	}
	k := kr.current()
	nonce := make([]byte, k.aead.NonceSize())
	rand.Read(nonce)
	out := k.aead.Seal(nonce, nonce, []byte(plain), nil)
	return envelopeVersion + ":" + k.id + ":" + base64.RawStdEncoding.EncodeToString(out)
}

// sealed reports whether s is an envelope.
func sealed(s string) bool { return strings.HasPrefix(s, envelopeVersion+":") }

// open decrypts an envelope; "" stays "". A value that is not an envelope
// is returned as it is (none is left after migration 0017's step).
func (kr *keyring) open(s string) (string, error) {
	if s == "" || !sealed(s) {
		return s, nil
	}
	parts := strings.SplitN(s, ":", 3)
	if len(parts) != 3 {
		return "", errors.New("malformed sealed value")
	}
	k := kr.byIDLocked(parts[1])
	if k == nil && kr.reload() == nil {
		k = kr.byIDLocked(parts[1])
	}
	if k == nil {
		return "", fmt.Errorf("sealed with key %s, which the key file %s does not hold (字段加密密钥缺失)", parts[1], kr.path)
	}
	b, err := base64.RawStdEncoding.DecodeString(parts[2])
	if err != nil || len(b) < k.aead.NonceSize() {
		return "", errors.New("malformed sealed value")
	}
	plain, err := k.aead.Open(nil, b[:k.aead.NonceSize()], b[k.aead.NonceSize():], nil)
	if err != nil {
		return "", fmt.Errorf("sealed value does not open with key %s: %w", k.id, err)
	}
	return string(plain), nil
}

// phoneHash is the keyed look-up hash of a phone (its digits), "" for none.
func (kr *keyring) phoneHash(phone string) string {
	var d strings.Builder
	for _, r := range phone {
		if r >= '0' && r <= '9' {
			d.WriteRune(r)
		}
	}
	if d.Len() == 0 {
		return ""
	}
	m := hmac.New(sha256.New, kr.current().mac)
	m.Write([]byte(d.String()))
	return hex.EncodeToString(m.Sum(nil))
}

// openSubmitter decrypts a scanned submitter's phone, address and ID number.
func (kr *keyring) openSubmitter(s *lianluo.Submitter) error {
	return kr.openAll(&s.Phone, &s.Address, &s.IDNumber)
}

// sealedTable is a table with sealed columns: the first is a phone when
// last4 and hash name the columns of its last four digits and look-up hash.
type sealedTable struct {
	table       string
	cols        []string
	last4, hash string
	key         string // the row's key column; "id" when empty
}

// keyCol is the row's key column.
func (t sealedTable) keyCol() string {
	if t.key == "" {
		return "id"
	}
	return t.key
}

// sealedTables are every table holding voters' personal data.
var sealedTables = []sealedTable{
	{"cases", []string{"submitter_phone", "submitter_address", "submitter_id_number"}, "submitter_phone_last4", "submitter_phone_hmac", ""},
	{"diary_entries", []string{"voter_phone", "voter_address"}, "voter_phone_last4", "voter_phone_hmac", ""},
	{"mailbox_letters", []string{"writer_phone", "writer_address"}, "writer_phone_last4", "writer_phone_hmac", ""},
	{"notifications", []string{"phone"}, "", "", ""},
	// Not a voter's, but a secret all the same: the staff's second factor.
	{"user_mfa", []string{"secret"}, "", "", "user_id"},
}

// sealCases seals every personal value not sealed with the newest key, and
// fills the phones' last four digits and look-up hashes: migration 0017's
// step (plaintext rows of older versions) and a key rotation (rows of
// older keys).
func sealCases(ctx context.Context, tx *Tx) error {
	for _, t := range sealedTables {
		if err := sealTable(ctx, tx, t); err != nil {
			return fmt.Errorf("seal %s: %w", t.table, err)
		}
	}
	return nil
}

func sealTable(ctx context.Context, tx *Tx, t sealedTable) error {
	kr := tx.db.keys
	if kr == nil {
		return errors.New("no field encryption key")
	}
	prefix := envelopeVersion + ":" + kr.current().id + ":"
	key := t.keyCol()
	var cond []string
	for _, c := range t.cols {
		cond = append(cond, "("+c+" <> '' AND "+c+" NOT LIKE $1)")
	}
	rows, err := tx.Query(ctx, `SELECT `+key+`, `+strings.Join(t.cols, ", ")+` FROM `+t.table+` WHERE `+strings.Join(cond, " OR ")+` ORDER BY `+key, prefix+"%")
	if err != nil {
		return err
	}
	type row struct {
		id   int64
		vals []string
	}
	var todo []row
	for rows.Next() {
		r := row{vals: make([]string, len(t.cols))}
		dest := []any{&r.id}
		for i := range r.vals {
			dest = append(dest, &r.vals[i])
		}
		if err := rows.Scan(dest...); err != nil {
			rows.Close()
			return err
		}
		todo = append(todo, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, r := range todo {
		var set []string
		var args []any
		for i, c := range t.cols {
			plain, err := kr.open(r.vals[i])
			if err != nil {
				return fmt.Errorf("row %d: %w", r.id, err)
			}
			if i == 0 && t.last4 != "" {
				args = append(args, lianluo.PhoneTail(plain), kr.phoneHash(plain))
				set = append(set, fmt.Sprintf("%s = $%d", t.last4, len(args)-1), fmt.Sprintf("%s = $%d", t.hash, len(args)))
			}
			args = append(args, kr.seal(plain))
			set = append(set, fmt.Sprintf("%s = $%d", c, len(args)))
		}
		args = append(args, r.id)
		if _, err := tx.Exec(ctx, `UPDATE `+t.table+` SET `+strings.Join(set, ", ")+fmt.Sprintf(` WHERE %s = $%d`, key, len(args)), args...); err != nil {
			return err
		}
	}
	return nil
}

// purgeFreedPages rewrites a SQLite file after migration 0017 sealed its
// rows: the plaintext they held stays in freed pages and in the WAL until
// overwritten, so the file is rebuilt (VACUUM) and the WAL emptied. On
// PostgreSQL the old row versions go with autovacuum; VACUUM FULL cases,
// diary_entries, mailbox_letters, notifications rewrites them at once.
func (db *DB) purgeFreedPages(ctx context.Context) error {
	if db.Dialect != SQLite {
		return nil
	}
	if _, err := db.write.ExecContext(ctx, `VACUUM`); err != nil {
		return fmt.Errorf("vacuum after sealing: %w", err)
	}
	if _, err := db.write.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return fmt.Errorf("checkpoint after sealing: %w", err)
	}
	return nil
}

// openAll decrypts the values at ps in place.
func (kr *keyring) openAll(ps ...*string) error {
	for _, p := range ps {
		v, err := kr.open(*p)
		if err != nil {
			return err
		}
		*p = v
	}
	return nil
}

// RotateKeys appends a new key to the key file and re-seals every sealed
// value with it in one transaction; the old keys stay in the file (older
// backups are sealed with them). It returns the new key's id. An instance
// running meanwhile reads the new key when it meets a value sealed with it
// (keyring.open) but seals with its own newest key until restarted.
func (db *DB) RotateKeys(ctx context.Context) (id string, err error) {
	defer wrap(&err, "RotateKeys")
	b, err := os.ReadFile(db.keys.path)
	if err != nil {
		return "", err
	}
	text := string(b)
	if !strings.HasSuffix(text, "\n") {
		text += "\n"
	}
	text += newKeyLine()
	kr := db.keys
	if _, err := parseKeyring(kr.path, []byte(text)); err != nil {
		return "", err
	}
	// The new key is on disk before any value is sealed with it.
	if err := writeKeyFile(db.keys.path, text); err != nil {
		return "", err
	}
	if err := kr.reload(); err != nil {
		return "", err
	}
	err = db.transact(ctx, func(tx *Tx) error {
		if err := sealCases(ctx, tx); err != nil {
			return err
		}
		return tx.event(ctx, lianluo.EntitySettings, 0, lianluo.AuditUpdate, "更换字段加密密钥："+kr.current().id)
	})
	return kr.current().id, err
}

// KeyFile is the path of the field encryption key file in use.
func (db *DB) KeyFile() string { return db.keys.path }
