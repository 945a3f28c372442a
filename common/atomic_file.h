/*
 * atomic_file.h - THE way planwatch writes an output file (CSV, HTML, XLSX,
 * the report template, the CLI's session file): all of it or nothing, and a
 * name planted by someone else cannot redirect the write.
 *
 * Design notes
 * - The new content goes to a temporary file created by mkstemp(3) (O_EXCL,
 *   mode 0600, an unpredictable name) in the target's own directory, is
 *   flushed and fsync'd, gets its final mode, and is renamed over the target.
 *   Never a predictable "PATH.tmp" opened with fopen("wb"), which follows a
 *   symlink planted at that name and truncates whatever it points to.
 * - rename(2) replaces the target name itself: a symlink planted at PATH is
 *   replaced by the file, its destination is not written.
 * - Writers that insist on a file name of their own (libxlsxwriter 1.1.4
 *   has no memory output) get a path inside a private directory made by
 *   mkdtemp(3) (mode 0700) in the target's directory; the file is renamed
 *   from there over the target and the directory removed.
 * - On any failure the target is untouched and the temporary file or
 *   directory is removed; err says "cannot write <path>: <reason>".
 * - Not for concurrent use with umask(2) changes in other threads: the final
 *   mode is `mode & ~umask`, and the umask is read by setting it back.
 */
#ifndef PW_COMMON_ATOMIC_FILE_H
#define PW_COMMON_ATOMIC_FILE_H

#include <stddef.h>
#include <sys/types.h>

/* Write data[0..len) to path as described above; the file gets
 * `mode & ~umask` (0666 for documents, 0600 for secrets).  0 or -1 with
 * err set. */
int pw_file_write_atomic(const char *path, const void *data, size_t len, mode_t mode, char *err,
                         size_t errlen);

/* A producer writes the whole file at `tmp_path` (a fresh name in a private
 * directory); 0 on success, else -1 with err set (errlen bytes). */
typedef int (*pw_file_producer)(const char *tmp_path, void *arg, char *err, size_t errlen);

/* Let `produce` write the file, then move it over path with `mode & ~umask`.
 * 0 or -1 with err set (the producer's message when it failed). */
int pw_file_write_atomic_with(const char *path, mode_t mode, pw_file_producer produce, void *arg,
                              char *err, size_t errlen);

#endif
