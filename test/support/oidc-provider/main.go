// A small OpenID Connect provider for Sluice's tests (issue 15, item 1): zitadel/oidc's op package with
// its example storage and login page, run on 127.0.0.1 with the clients and users a JSON file names.
// Built and started by test/support/oidc.ts; never part of Sluice itself.
package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// The scope that asks for the groups claim, and the claim's name.
const groupsScope = "groups"

type clientConfig struct {
	ID           string   `json:"id"`
	Secret       string   `json:"secret"`
	RedirectURIs []string `json:"redirectUris"`
	// Redirect URIs as path.Match globs: the tests' Sluice servers listen on ports chosen at start.
	RedirectGlobs []string `json:"redirectGlobs"`
	// How long its ID tokens hold; negative: they are issued already expired (the expiry check's test).
	IDTokenLifetimeSeconds int `json:"idTokenLifetimeSeconds"`
}

type userConfig struct {
	ID       string   `json:"id"`
	Username string   `json:"username"`
	Password string   `json:"password"`
	Email    string   `json:"email"`
	Name     string   `json:"name"`
	Groups   []string `json:"groups"`
}

type config struct {
	// Where it listens (127.0.0.1) and the issuer it names, such as http://127.0.0.1:PORT.
	Port    int            `json:"port"`
	Issuer  string         `json:"issuer"`
	Clients []clientConfig `json:"clients"`
	Users   []userConfig   `json:"users"`
	// Publish a key other than the one tokens are signed with, under the same key id: a provider whose
	// signatures do not verify (the signature check's test).
	WrongKeys bool `json:"wrongKeys"`
}

type users struct{ byID map[string]*storage.User }

func (u users) GetUserByID(id string) *storage.User { return u.byID[id] }
func (u users) GetUserByUsername(name string) *storage.User {
	for _, user := range u.byID {
		if user.Username == name {
			return user
		}
	}
	return nil
}
func (u users) ExampleClientID() string { return storage.ServiceUserID }

// client adds to the example's web client: the groups scope, profile claims in the ID token, the
// configured ID token lifetime and redirect globs.
type client struct {
	op.Client
	lifetime time.Duration
	globs    []string
}

func (c client) IsScopeAllowed(scope string) bool     { return scope == groupsScope }
func (c client) IDTokenUserinfoClaimsAssertion() bool { return true }
func (c client) IDTokenLifetime() time.Duration       { return c.lifetime }
func (c client) RedirectURIGlobs() []string           { return c.globs }
func (c client) PostLogoutRedirectURIGlobs() []string { return nil }
func (c client) RestrictAdditionalIdTokenScopes() func([]string) []string {
	return func(s []string) []string { return s }
}

// otherKey is a published key under the signing key's id that did not sign anything.
type otherKey struct {
	id     string
	alg    jose.SignatureAlgorithm
	public *rsa.PublicKey
}

func (k otherKey) ID() string                         { return k.id }
func (k otherKey) Algorithm() jose.SignatureAlgorithm { return k.alg }
func (k otherKey) Use() string                        { return "sig" }
func (k otherKey) Key() any                           { return k.public }

// store is the example's in-memory storage with a groups claim (in the ID token and at userinfo) when
// the groups scope is asked.
type store struct {
	*storage.Storage
	groups    map[string][]string
	clients   map[string]clientConfig
	wrongKeys *rsa.PublicKey
}

func (s *store) addGroups(info *oidc.UserInfo, subject string, scopes []string) {
	if slices.Contains(scopes, groupsScope) {
		info.AppendClaims(groupsScope, s.groups[subject])
	}
}

func (s *store) SetUserinfoFromScopes(ctx context.Context, info *oidc.UserInfo, userID, clientID string, scopes []string) error {
	if err := s.Storage.SetUserinfoFromScopes(ctx, info, userID, clientID, scopes); err != nil {
		return err
	}
	s.addGroups(info, userID, scopes)
	return nil
}

func (s *store) SetUserinfoFromRequest(ctx context.Context, info *oidc.UserInfo, token op.IDTokenRequest, scopes []string) error {
	if err := s.Storage.SetUserinfoFromRequest(ctx, info, token, scopes); err != nil {
		return err
	}
	s.addGroups(info, token.GetSubject(), scopes)
	return nil
}

func (s *store) SetUserinfoFromToken(ctx context.Context, info *oidc.UserInfo, tokenID, subject, origin string) error {
	if err := s.Storage.SetUserinfoFromToken(ctx, info, tokenID, subject, origin); err != nil {
		return err
	}
	// The example's userinfo sets the subject from the token's own scopes; openid is always among them.
	if info.Subject != "" {
		s.addGroups(info, info.Subject, []string{groupsScope})
	}
	return nil
}

func (s *store) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := s.Storage.GetClientByClientID(ctx, id)
	if err != nil {
		return nil, err
	}
	cfg := s.clients[id]
	lifetime := time.Duration(cfg.IDTokenLifetimeSeconds) * time.Second
	if lifetime == 0 {
		lifetime = time.Hour
	}
	return client{Client: c, lifetime: lifetime, globs: cfg.RedirectGlobs}, nil
}

func (s *store) KeySet(ctx context.Context) ([]op.Key, error) {
	keys, err := s.Storage.KeySet(ctx)
	if err != nil || s.wrongKeys == nil {
		return keys, err
	}
	out := make([]op.Key, len(keys))
	for i, k := range keys {
		out[i] = otherKey{id: k.ID(), alg: k.Algorithm(), public: s.wrongKeys}
	}
	return out, nil
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: oidc-provider CONFIG.json")
		os.Exit(2)
	}
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var cfg config
	if err := json.Unmarshal(raw, &cfg); err != nil {
		fmt.Fprintln(os.Stderr, "config:", err)
		os.Exit(2)
	}
	byID := map[string]*storage.User{}
	groups := map[string][]string{}
	for _, u := range cfg.Users {
		byID[u.ID] = &storage.User{
			ID: u.ID, Username: u.Username, Password: u.Password, Email: u.Email, EmailVerified: true,
			FirstName: u.Name, LastName: "",
		}
		groups[u.ID] = u.Groups
	}
	clients := map[string]clientConfig{}
	registered := []*storage.Client{}
	for _, c := range cfg.Clients {
		clients[c.ID] = c
		registered = append(registered, storage.WebClient(c.ID, c.Secret, c.RedirectURIs...))
	}
	storage.RegisterClients(registered...)
	s := &store{Storage: storage.NewStorage(users{byID}), groups: groups, clients: clients}
	if cfg.WrongKeys {
		other, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		s.wrongKeys = &other.PublicKey
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	router := exampleop.SetupServer(cfg.Issuer, s, logger, false)
	listener, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", cfg.Port))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	// test/support/oidc.ts waits for this line.
	fmt.Printf("listening on %s as %s\n", listener.Addr(), cfg.Issuer)
	if err := http.Serve(listener, router); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
