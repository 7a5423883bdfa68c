package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/amendsdev/amends/models"
)

// TestKill9KeepsAcknowledgedWrites kills `amends serve` with SIGKILL in the
// middle of concurrent writes: every write it acknowledged must be in the
// database afterwards, and the database must open cleanly.
func TestKill9KeepsAcknowledgedWrites(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "amends")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "amends.db")
	addr := freeAddr(t)
	cmd := exec.Command(bin, "serve", "--demo", "--db", db, "--addr", addr)
	var out bytes.Buffer
	cmd.Stdout = &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	base := "http://" + addr
	waitReady(t, base+"/readyz", nil)
	token := strings.Fields(out.String()[strings.Index(out.String(), "amd_"):])[0]

	var mu sync.Mutex
	var acked []uint
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if id, ok := createItem(base, token, fmt.Sprintf("writer %d item %d", w, i)); ok {
					mu.Lock()
					acked = append(acked, id)
					mu.Unlock()
				}
			}
		}(w)
	}
	time.Sleep(1500 * time.Millisecond)
	if err := cmd.Process.Signal(os.Kill); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()
	close(stop)
	wg.Wait()
	if len(acked) < 10 {
		t.Fatalf("only %d writes acknowledged before the kill", len(acked))
	}

	store, closeDB, err := openStore(context.Background(), &config{DB: db}, false)
	if err != nil {
		t.Fatalf("reopen after kill -9: %v", err)
	}
	defer closeDB()
	var integrity string
	store.DB().R.Raw("PRAGMA integrity_check").Scan(&integrity)
	if integrity != "ok" {
		t.Errorf("integrity_check: %s", integrity)
	}
	var found int64
	store.DB().R.Model(&models.ActionItem{}).Where("id IN ?", acked).Count(&found)
	if found != int64(len(acked)) {
		t.Errorf("%d of %d acknowledged writes survived kill -9", found, len(acked))
	}
	t.Logf("%d acknowledged writes, all present after kill -9", len(acked))
}

func createItem(base, token, title string) (uint, bool) {
	body, _ := json.Marshal(map[string]any{"title": title, "type": "repair", "priority": "P2"})
	req, _ := http.NewRequest("POST", base+"/api/v1/postmortems/1/action-items", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	var it struct{ ID uint }
	if resp.StatusCode != http.StatusCreated || json.NewDecoder(resp.Body).Decode(&it) != nil {
		return 0, false
	}
	return it.ID, true
}
