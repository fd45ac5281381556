// The hard backstop: the time limit holds even where nothing cooperative can stop the work.
//
// The watchdog (watchdog.c) trips the time limit at the deadline and the hook, the metered library
// loops, the chunk reader and the host's own checks (SQLite's progress handler, PostgreSQL's
// statement timeout) raise it. Work that checks nothing (a system call that blocks, a C function
// that never returns) would still run on. So while a runtime runs script code or compiles a
// chunk it is watched by one thread of the process, which, once the runtime is `grace` seconds
// past its deadline, writes "time limit exceeded" and what the run was doing to standard error
// and ends the process with exit status 1, as a crash would end it: the kernel releases its file
// locks (the site lock, SQLite's locks), the database rolls back what was not committed, and
// phasekit's journal says what was applied. The backstop is off unless the command line tool
// enables it, so a test process is never ended.
#include "internal.h"
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/// How many runtimes the backstop can watch at once; more are not watched (nested states are few).
#define BACKSTOP_SLOTS 32

static pthread_mutex_t backstop_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t backstop_changed;
static int backstop_enabled = 0;
static double backstop_grace = 0;
static clua_runtime *watched[BACKSTOP_SLOTS];

static void end_process(clua_runtime *runtime, double now) {
    char message[1200];
    const char *doing = runtime->activity[0] != '\0' ? runtime->activity : "script code (a library function, the parser or a host call that did not return)";
    int length = snprintf(message, sizeof message,
                          "phasekit: time limit exceeded: %s did not stop; ended %.1f s after the deadline (the limit's grace is %.1f s). "
                          "Nothing uncommitted was kept: check `phasekit status` before running again.\n",
                          doing, now - runtime->deadline, backstop_grace);
    if (length > 0) {
        size_t size = (size_t)length < sizeof message ? (size_t)length : sizeof message - 1;
        ssize_t written = write(STDERR_FILENO, message, size);
        (void)written;
    }
    _exit(1);
}

static void *backstop_main(void *unused) {
    (void)unused;
    pthread_mutex_lock(&backstop_lock);
    for (;;) {
        double now = clua_monotonic_seconds();
        double earliest = 0;
        for (int i = 0; i < BACKSTOP_SLOTS; i++) {
            clua_runtime *runtime = watched[i];
            if (runtime == NULL || runtime->deadline <= 0) continue;
            double end = runtime->deadline + backstop_grace;
            if (now >= end) end_process(runtime, now);
            if (earliest == 0 || end < earliest) earliest = end;
        }
        if (earliest == 0) {
            pthread_cond_wait(&backstop_changed, &backstop_lock);
        } else {
            struct timespec until;
            until.tv_sec = (time_t)earliest;
            until.tv_nsec = (long)((earliest - (double)until.tv_sec) * 1e9);
            pthread_cond_timedwait(&backstop_changed, &backstop_lock, &until);
        }
    }
    return NULL;
}

void clua_backstop_enable(double grace_seconds) {
    pthread_mutex_lock(&backstop_lock);
    if (!backstop_enabled) {
        pthread_condattr_t attributes;
        pthread_condattr_init(&attributes);
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC);
        pthread_cond_init(&backstop_changed, &attributes);
        pthread_condattr_destroy(&attributes);
        pthread_t thread;
        pthread_attr_t thread_attributes;
        pthread_attr_init(&thread_attributes);
        pthread_attr_setdetachstate(&thread_attributes, PTHREAD_CREATE_DETACHED);
        if (pthread_create(&thread, &thread_attributes, backstop_main, NULL) == 0) backstop_enabled = 1;
        pthread_attr_destroy(&thread_attributes);
    }
    backstop_grace = grace_seconds;
    pthread_mutex_unlock(&backstop_lock);
}

void clua_backstop_watch(clua_runtime *runtime) {
    if (runtime->backstop_watched++ > 0 || !backstop_enabled) return;
    pthread_mutex_lock(&backstop_lock);
    for (int i = 0; i < BACKSTOP_SLOTS; i++) {
        if (watched[i] == NULL) {
            watched[i] = runtime;
            break;
        }
    }
    pthread_cond_signal(&backstop_changed);
    pthread_mutex_unlock(&backstop_lock);
}

void clua_backstop_unwatch(clua_runtime *runtime) {
    if (--runtime->backstop_watched > 0 || !backstop_enabled) return;
    pthread_mutex_lock(&backstop_lock);
    for (int i = 0; i < BACKSTOP_SLOTS; i++) {
        if (watched[i] == runtime) watched[i] = NULL;
    }
    pthread_mutex_unlock(&backstop_lock);
}

void clua_backstop_deadline_changed(void) {
    if (!backstop_enabled) return;
    pthread_mutex_lock(&backstop_lock);
    pthread_cond_signal(&backstop_changed);
    pthread_mutex_unlock(&backstop_lock);
}
