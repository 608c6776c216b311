package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/briefbot/briefbot"
	"github.com/briefbot/briefbot/metrics"
	"github.com/briefbot/briefbot/store"
)

// defaultOpsListen is where /healthz, /readyz and /metrics are served by default.
const defaultOpsListen = ":9090"

// ops is the operations endpoint of a serving bot: /healthz (alive), /readyz (the
// store is open and Slack can reach the bot) and /metrics (Prometheus).
type ops struct {
	reg     *prometheus.Registry
	metrics *metrics.Metrics
	store   *store.Store
	// backups is the one directory the running bot writes backups into when asked
	// (BRIEFBOT_BACKUP_DIR; default: "backups" beside the data file).
	backups string
}

// newOps makes the registry with the bot's metrics, the Go and process collectors,
// and gauges read from the store at scrape time: outbox depth and file size.
func newOps(s *store.Store, backups string) *ops {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "briefbot_outbox_depth", Help: "Dispatches not yet delivered."}, func() float64 {
		open, err := s.OpenDispatches(context.Background())
		if err != nil {
			return -1
		}
		return float64(len(open))
	}))
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "briefbot_store_bytes", Help: "Size of the ledger file."}, func() float64 {
		n, err := s.Size()
		if err != nil {
			return -1
		}
		return float64(n)
	}))
	return &ops{reg: reg, metrics: metrics.New(reg), store: s, backups: backups}
}

// serve listens on addr until ctx is done. ready says whether the bot is ready.
func (o *ops) serve(ctx context.Context, addr string, ready func() error, log *slog.Logger) (func(), error) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		if err := ready(); err != nil {
			http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ready\n")
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(o.reg, promhttp.HandlerOpts{}))
	if o.store != nil {
		// A hot backup by the running bot, which holds the file: from this machine only.
		mux.HandleFunc("POST /backup", func(w http.ResponseWriter, r *http.Request) {
			if host, _, _ := net.SplitHostPort(r.RemoteAddr); !net.ParseIP(host).IsLoopback() {
				http.Error(w, "backups are taken from the bot's own machine only", http.StatusForbidden)
				return
			}
			path, err := o.backupPath(r.URL.Query().Get("to"), time.Now())
			if err == nil {
				var n int64
				if n, err = o.store.Backup(path); err == nil {
					fmt.Fprintf(w, "%d %s\n", n, path)
					return
				}
			}
			status := http.StatusInternalServerError
			if briefbot.ErrorCode(err) == briefbot.EINVALID || briefbot.ErrorCode(err) == briefbot.ECONFLICT {
				status = http.StatusBadRequest
			}
			http.Error(w, message(err), status)
		})
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("ops endpoint %s: %w", addr, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second, WriteTimeout: 5 * time.Minute, IdleTimeout: time.Minute}
	go srv.Serve(l)
	log.Info("ops endpoint", "listen", l.Addr().String())
	return func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
	}, nil
}

// health is `briefbot health`: it asks a running bot's /healthz (for container health
// checks) and exits 0 if it answers, 1 if not.
func (e *environment) health(ctx context.Context, args []string) error {
	addr := e.getenv("BRIEFBOT_OPS_LISTEN")
	if addr == "" {
		addr = defaultOpsListen
	}
	if strings.HasPrefix(addr, ":") {
		addr = "127.0.0.1" + addr
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/healthz", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("not healthy: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("not healthy: HTTP %d", resp.StatusCode)
	}
	fmt.Fprintln(e.stdout, "ok")
	return nil
}

// logger is the serving bot's logger: text by default, JSON with --log json. Matter
// bodies and secrets are never logged: log lines carry ledger numbers and ids.
func (e *environment) logger(format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(e.stderr, nil))
	}
	return slog.New(slog.NewTextHandler(e.stderr, nil))
}

// backupViaBot asks a running bot (which holds the data file's lock) for a hot
// backup, through its ops endpoint on this machine. The bot writes only into its
// backup directory (dir): a path there is asked for by name; any other path gets a
// backup under a fresh name there, which this command (as the operator, with the
// operator's rights) then copies to path, never over an existing file, and checks.
func (e *environment) backupViaBot(path, dir string) (int64, error) {
	addr := e.getenv("BRIEFBOT_OPS_LISTEN")
	if addr == "" {
		addr = defaultOpsListen
	}
	if strings.HasPrefix(addr, ":") {
		addr = "127.0.0.1" + addr
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return 0, err
	}
	name := ""
	if d, err := filepath.Abs(dir); err == nil && filepath.Dir(abs) == d {
		name = filepath.Base(abs)
	}
	resp, err := http.Post("http://"+addr+"/backup?to="+url.QueryEscape(name), "text/plain", nil)
	if err != nil {
		return 0, fmt.Errorf("the data file is in use and the running bot could not be asked (%s): %w", addr, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("the running bot refused the backup: %s", strings.TrimSpace(string(body)))
	}
	var n int64
	var written string
	if _, err := fmt.Sscan(string(body), &n, &written); err != nil {
		return 0, fmt.Errorf("the running bot answered %q: %w", body, err)
	}
	if written == abs {
		return n, nil
	}
	fmt.Fprintf(e.stdout, "由运行中的机器人写入 / written by the running bot: %s\n", written)
	if err := copyNew(written, abs); err != nil {
		return 0, err
	}
	if problems, err := store.CheckFile(abs); err != nil || len(problems) > 0 {
		os.Remove(abs)
		return 0, fmt.Errorf("the copy %s did not check (%v %v); the backup stays at %s", abs, problems, err, written)
	}
	return n, nil
}

// copyNew copies src to a new file dst (refusing to replace one) and syncs it.
func copyNew(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return briefbot.Errorf(briefbot.ECONFLICT, briefbot.ReasonBackupExists, briefbot.Text{
			ZH: "备份文件 " + dst + " 已存在，未覆盖。请换一个文件名。",
			EN: "The backup file " + dst + " exists and was not overwritten. Choose another name."})
	}
	if err != nil {
		return err
	}
	if _, err = io.Copy(out, in); err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
	}
	return err
}

// backupPath is where a backup asked for as to may be written: a file name, or a path,
// inside the backup directory and nowhere else (a request cannot make the bot write
// over another file: Backup never overwrites either).
func (o *ops) backupPath(to string, now time.Time) (string, error) {
	dir, err := filepath.Abs(o.backups)
	if err != nil {
		return "", briefbot.Internal("backup directory", err)
	}
	if to == "" {
		to = "briefbot-" + now.Format("20060102-150405.000000000") + ".db"
	}
	path := to
	if !filepath.IsAbs(path) {
		path = filepath.Join(dir, path)
	}
	path = filepath.Clean(path)
	if filepath.Dir(path) != dir || filepath.Base(path) == "." {
		return "", placeError(o.backups)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", briefbot.Internal("backup directory", err)
	}
	if real, err := filepath.EvalSymlinks(dir); err != nil || real != dir {
		return "", placeError(o.backups) // a directory that is a link elsewhere is not the place
	}
	return path, nil
}

func placeError(dir string) error {
	return briefbot.Errorf(briefbot.EINVALID, briefbot.ReasonBackupPlace, briefbot.Text{
		ZH: fmt.Sprintf("运行中的机器人只把备份写入备份目录 %s（BRIEFBOT_BACKUP_DIR），请给出该目录中的文件名。", dir),
		EN: fmt.Sprintf("A running bot writes backups only into its backup directory %s (BRIEFBOT_BACKUP_DIR): give a file name in it.", dir)})
}

// backupDir is the directory a running bot writes backups into: BRIEFBOT_BACKUP_DIR,
// or "backups" beside the data file.
func (e *environment) backupDir(data string) string {
	if d := e.getenv("BRIEFBOT_BACKUP_DIR"); d != "" {
		return d
	}
	return filepath.Join(filepath.Dir(data), "backups")
}
