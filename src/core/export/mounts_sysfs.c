/*
 * mounts_sysfs: which mounts are real removable drives (see mounts.h). The
 * mount table says which block device a mount sits on (its major:minor);
 * the kernel's sysfs says what that device is: /sys/dev/block/MAJ:MIN
 * leads to the device's folder in the device tree, a partition's parent
 * folder is its disk, and the disk counts as a stick when it says
 * removable=1 (card readers, most sticks) or when it hangs under a USB
 * port (a USB disk that calls itself fixed). Anything else is not a stick:
 * the kiosk's own disk, a loop or device-mapper device, tmpfs, a network
 * share, an overlay, a bind of a system folder under /mnt.
 *
 * Why not libudev: sysfs is what udev itself reads for these two facts,
 * and reading two small files needs no daemon, no new library and no
 * database that may be missing in a container. The sysfs root is a seam,
 * so tests build fake device trees.
 */
#include "export/mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "base/util.h"

/* The first byte of the small sysfs file name in folder dir ('\0' when it
 * cannot be read). */
static char
first_byte(const char *dir, const char *name)
{
	char path[PATH_MAX];
	if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path)
		return '\0';
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return '\0';
	char c = '\0';
	if (read(fd, &c, 1) != 1)
		c = '\0';
	close(fd);
	return c;
}

/* Does a component of path below its first skip bytes name a USB port or
 * hub ("usb1", "usb3-port2")? */
static bool
under_usb(const char *path, size_t skip)
{
	for (const char *p = path + skip; (p = strchr(p, '/')) != NULL; p++)
		if (strncmp(p + 1, "usb", 3) == 0)
			return true;
	return false;
}

bool
mounts_is_removable(const char *sysfs, dev_t dev)
{
	if (major(dev) == 0)
		return false;   /* tmpfs, NFS, overlay...: no block device */
	if (!sysfs)
		sysfs = MOUNTS_SYSFS;
	char link[PATH_MAX];
	if (snprintf(link, sizeof link, "%s/dev/block/%u:%u", sysfs, major(dev), minor(dev)) >=
	    (int)sizeof link)
		return false;
	char *root = realpath(sysfs, NULL);
	char *real = realpath(link, NULL);
	bool removable = false;
	/* The device's folder, inside sysfs (a link out of it is not one). */
	size_t rl = root ? strlen(root) : 0;
	if (root && real && strncmp(real, root, rl) == 0 && real[rl] == '/') {
		/* A partition's disk is its parent folder. */
		char *disk = real;
		char part = first_byte(real, "partition");
		char *slash = part ? strrchr(real, '/') : NULL;
		if (slash)
			*slash = '\0';
		removable = first_byte(disk, "removable") == '1' || under_usb(disk, rl);
	}
	free(real);
	free(root);
	return removable;
}

int
mounts_read_sticks(const mount_source *src, mount_list *out, tl_error *err)
{
	mount_list all = { 0 };
	out->items = NULL;
	out->n = 0;
	if (mounts_read(src->table, src->roots, &all, err) != 0)
		return -1;
	/* Keep the removable ones, in order, moving their strings over. */
	size_t k = 0;
	for (size_t i = 0; i < all.n; i++) {
		mount_entry *e = &all.items[i];
		if (mounts_is_removable(src->sysfs, e->dev)) {
			all.items[k++] = *e;
		} else {
			free(e->point);
			free(e->device);
			free(e->fstype);
		}
	}
	all.n = k;
	struct stat sb;
	if (src->folder && src->folder[0] && stat(src->folder, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		/* The folder named by stick_folder, last: the newest "mount". */
		mount_entry *ni = realloc(all.items, (all.n + 1) * sizeof *ni);
		if (!ni) {
			mount_list_finish(&all);
			return tl_err_nomem(err);
		}
		all.items = ni;
		mount_entry e = { tl_strdup(src->folder), tl_strdup(""), tl_strdup("folder"), sb.st_dev };
		if (!e.point || !e.device || !e.fstype) {
			free(e.point);
			free(e.device);
			free(e.fstype);
			mount_list_finish(&all);
			return tl_err_nomem(err);
		}
		all.items[all.n++] = e;
	}
	if (all.n == 0) {
		free(all.items);
		all.items = NULL;
	}
	*out = all;
	return 0;
}
