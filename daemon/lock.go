package daemon

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// ErrBusy is returned when another leadup process is running a cycle on
// the same state (the service, while the user runs `leadup run --once`).
var ErrBusy = errors.New("another leadup is running a cycle on this state")

// exclusive takes the state's cycle lock (an flock on <state>.lock), so two
// processes never plan and send from one outbox at once; release frees it.
// The lock goes with the process, so a crash never leaves it held.
func (a *App) exclusive() (release func(), err error) {
	path := a.st.Path() + ".lock"
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open the cycle lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w (%s): wait for it to finish, or stop the service with systemctl --user stop leadup", ErrBusy, a.st.Path())
		}
		return nil, fmt.Errorf("take the cycle lock: %w", err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
