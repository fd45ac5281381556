// The deadline watchdog: the wall-clock limit without a hook on every instruction.
//
// A Lua count hook makes the VM trap on *every* instruction (Lua 5.4 sets `trap` for any count
// hook and counts down in `luaG_traceexec`), which costs a third of a tight loop's time. So no hook
// is armed while a run is within its deadline. Instead, when script code starts running on an OS
// thread (the outermost `clua_pcall_traceback`), a per-thread POSIX timer is armed for the
// deadline. If it expires, its signal is delivered to that very thread, and the handler trips the
// time limit and hooks the thread running script code (the main state or the coroutine being
// resumed), as the stand-alone `lua` interpreter does for Ctrl-C: `lua_sethook` is safe to call
// from a signal handler. The hook then raises the limit at the next instruction. Host code that
// is running when the signal arrives finishes its work; the trampoline raises the limit when it
// returns.
//
// Coroutines have hooks of their own, so the sandbox's `coroutine.resume`, `wrap` and `close` mark
// the coroutine they switch to as the running thread (`clua_switch_to`).
//
// Where per-thread timers are unavailable (not Linux, or the timer cannot be created), the state
// falls back to the count hook, which checks the deadline every `hook_interval` instructions.
#define _GNU_SOURCE
#include "internal.h"
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>

/// The runtime running script code on this OS thread (innermost first, chained by `outer_active`).
static __thread clua_runtime *volatile thread_active = NULL;

#if defined(__linux__) && defined(SIGEV_THREAD_ID)

/// The watchdog's signal: a real-time signal, so it is queued and not shared with anything else.
#define WATCHDOG_SIGNAL (SIGRTMAX - 3)

static pthread_once_t install_once = PTHREAD_ONCE_INIT;
static int handler_installed = 0;
static pthread_key_t timer_key;

/// This thread's timer: 0 = not created yet, 1 = ready, -1 = cannot be created (use the hook).
static __thread int thread_timer_state = 0;
static __thread timer_t thread_timer;

static void set_timer(double deadline) {
    struct itimerspec when;
    memset(&when, 0, sizeof when);
    if (deadline > 0) {
        double seconds = (double)(time_t)deadline;
        when.it_value.tv_sec = (time_t)seconds;
        when.it_value.tv_nsec = (long)((deadline - seconds) * 1e9);
        if (when.it_value.tv_sec == 0 && when.it_value.tv_nsec == 0) when.it_value.tv_nsec = 1;
    }
    timer_settime(thread_timer, TIMER_ABSTIME, &when, NULL);
}

static void on_watchdog_signal(int signal) {
    (void)signal;
    int saved_errno = errno;
    clua_runtime *runtime = thread_active;
    if (runtime != NULL && runtime->deadline > 0 && thread_timer_state == 1) {
        if (clua_monotonic_seconds() >= runtime->deadline) {
            clua_trip(runtime, CLUA_LIMIT_TIME);
            lua_State *running = runtime->running;
            if (running != NULL) lua_sethook(running, clua_limit_hook, LUA_MASKCOUNT, 1);
        } else {
            set_timer(runtime->deadline);   // the clock was restarted: wait for the new deadline
        }
    }
    errno = saved_errno;
}

static void delete_thread_timer(void *timer) {
    (void)timer;
    if (thread_timer_state == 1) timer_delete(thread_timer);
    thread_timer_state = 0;
}

static void install_handler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_watchdog_signal;
    action.sa_flags = SA_RESTART;
    sigfillset(&action.sa_mask);
    if (sigaction(WATCHDOG_SIGNAL, &action, NULL) == 0 && pthread_key_create(&timer_key, delete_thread_timer) == 0) {
        handler_installed = 1;
    }
}

/// Makes sure this thread has a timer and can receive its signal; 0 when it cannot.
static int thread_timer_ready(void) {
    if (thread_timer_state == 0) {
        pthread_once(&install_once, install_handler);
        struct sigevent event;
        memset(&event, 0, sizeof event);
        event.sigev_notify = SIGEV_THREAD_ID;
        event.sigev_signo = WATCHDOG_SIGNAL;
        event._sigev_un._tid = (pid_t)syscall(SYS_gettid);   // sigev_notify_thread_id
        if (handler_installed && timer_create(CLOCK_MONOTONIC, &event, &thread_timer) == 0) {
            thread_timer_state = 1;
            pthread_setspecific(timer_key, &thread_timer);   // deleted when the thread exits
        } else {
            thread_timer_state = -1;
        }
    }
    if (thread_timer_state != 1) return 0;
    // Worker threads (libdispatch's among them) start with most signals blocked.
    sigset_t watchdog;
    sigemptyset(&watchdog);
    sigaddset(&watchdog, WATCHDOG_SIGNAL);
    pthread_sigmask(SIG_UNBLOCK, &watchdog, NULL);
    return 1;
}

int clua_watchdog_available(void) { return thread_timer_ready(); }

static void arm_watchdog(lua_State *L, clua_runtime *runtime) {
    if (runtime->count_hook_armed) return;
    if (thread_timer_ready()) {
        set_timer(runtime->deadline);
    } else if (runtime->deadline > 0) {
        clua_arm_count_hook(L);   // no timer on this thread: check the clock from the hook
    }
}

static void rearm_for(clua_runtime *runtime) {
    if (thread_timer_state == 1) set_timer(runtime ? runtime->deadline : 0);
}

#else

int clua_watchdog_available(void) { return 0; }

static void arm_watchdog(lua_State *L, clua_runtime *runtime) {
    if (runtime->count_hook_armed || runtime->deadline <= 0) return;
    clua_arm_count_hook(L);
}

static void rearm_for(clua_runtime *runtime) { (void)runtime; }

#endif

lua_State *clua_enter_script(lua_State *L) {
    clua_runtime *runtime = clua_runtime_of(L);
    lua_State *previous = runtime->running;
    runtime->running = L;
    if (runtime->active_depth++ == 0) {
        runtime->outer_active = thread_active;
        thread_active = runtime;
        arm_watchdog(L, runtime);
        clua_backstop_watch(runtime);
    }
    return previous;
}

void clua_leave_script(lua_State *L, lua_State *previous) {
    clua_runtime *runtime = clua_runtime_of(L);
    runtime->running = previous;
    if (--runtime->active_depth == 0) {
        clua_backstop_unwatch(runtime);
        thread_active = runtime->outer_active;
        runtime->outer_active = NULL;
        rearm_for(thread_active);   // an outer state's deadline, or none
    }
}

int clua_switch_to(lua_State *L, lua_State *co, lua_State **previous) {
    clua_runtime *runtime = clua_runtime_of(L);
    *previous = runtime->running;
    runtime->running = co;
    // A signal before the store above hooked the previous thread; one after it hooks `co`.
    // Either way a tripped limit is visible here, and `co` must not start running then.
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    if (runtime->tripped != CLUA_LIMIT_NONE) {
        runtime->running = *previous;
        return 0;
    }
    return 1;
}

void clua_switch_back(lua_State *L, lua_State *previous) {
    clua_runtime_of(L)->running = previous;
}

void clua_set_deadline(clua_runtime *runtime, double deadline) {
    runtime->deadline = deadline;
    if (thread_active == runtime) rearm_for(runtime);
    if (runtime->backstop_watched > 0) clua_backstop_deadline_changed();
}
