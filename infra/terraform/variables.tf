# ---------------------------------------------------------------------------
# Proxmox connection. The API token is not a variable: the provider reads it from
# PROXMOX_VE_API_TOKEN, so it never reaches a .tfvars file or the plan.
# ---------------------------------------------------------------------------

variable "proxmox_endpoint" {
  type        = string
  description = "URL of the Proxmox VE API, with the trailing slash and without /api2/json, e.g. https://pve.home.arpa:8006/."

  validation {
    condition     = can(regex("^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?/$", var.proxmox_endpoint))
    error_message = "proxmox_endpoint must look like https://HOST:8006/ (https, trailing slash, no path)."
  }
}

variable "proxmox_insecure" {
  type        = bool
  description = "Skip TLS verification of the Proxmox API (only for the host's self-signed certificate)."
  default     = false
}

variable "proxmox_ssh_username" {
  type        = string
  description = "User the provider connects as over SSH to upload the cloud-init snippets to the node."
  default     = "root"

  validation {
    condition     = can(regex("^[a-z_][a-z0-9_-]{0,31}$", var.proxmox_ssh_username))
    error_message = "proxmox_ssh_username must be a POSIX user name."
  }
}

variable "proxmox_node" {
  type        = string
  description = "Name of the Proxmox node the VMs run on (as shown under Datacenter)."

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,62}$", var.proxmox_node))
    error_message = "proxmox_node must be a host name."
  }
}

# ---------------------------------------------------------------------------
# Image, template and datastores
# ---------------------------------------------------------------------------

variable "cloud_image" {
  type = object({
    url       = string
    file_name = string
    checksum  = optional(string)
  })
  description = "Cloud image the template is made from: its URL, the file name on the datastore (ending .qcow2 for the import content type) and, to verify the download, its SHA-512 from the release's SHA512SUMS."
  default = {
    url       = "https://cloud.debian.org/images/cloud/trixie/latest/debian-13-genericcloud-amd64.qcow2"
    file_name = "debian-13-genericcloud-amd64.qcow2"
  }

  validation {
    condition     = startswith(var.cloud_image.url, "https://")
    error_message = "cloud_image.url must be an https URL."
  }
  validation {
    condition     = can(regex("^[A-Za-z0-9._-]+\\.(qcow2|img|raw)$", var.cloud_image.file_name))
    error_message = "cloud_image.file_name must be a plain file name ending in .qcow2, .img or .raw."
  }
  validation {
    condition     = var.cloud_image.checksum == null || can(regex("^[0-9a-f]{128}$", var.cloud_image.checksum))
    error_message = "cloud_image.checksum must be a SHA-512 in lower-case hex (128 characters), or left out."
  }
}

variable "image_datastore_id" {
  type        = string
  description = "Datastore that keeps the downloaded cloud image (needs the Import content type)."
  default     = "local"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_.-]{0,63}$", var.image_datastore_id))
    error_message = "image_datastore_id must be a Proxmox storage id such as local."
  }
}

variable "snippets_datastore_id" {
  type        = string
  description = "Datastore for the cloud-init user data snippets (needs the Snippets content type enabled)."
  default     = "local"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_.-]{0,63}$", var.snippets_datastore_id))
    error_message = "snippets_datastore_id must be a Proxmox storage id such as local."
  }
}

variable "vm_datastore_id" {
  type        = string
  description = "Datastore for the VM disks and their cloud-init drives."
  default     = "local-lvm"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_.-]{0,63}$", var.vm_datastore_id))
    error_message = "vm_datastore_id must be a Proxmox storage id such as local-lvm."
  }
}

variable "template_vm_id" {
  type        = number
  description = "VM id of the template every node is cloned from."
  default     = 9000

  validation {
    condition     = var.template_vm_id >= 100 && var.template_vm_id <= 999999999 && floor(var.template_vm_id) == var.template_vm_id
    error_message = "template_vm_id must be a whole number from 100 to 999999999."
  }
}

variable "first_vm_id" {
  type        = number
  description = "VM id of the first control-plane node; control-plane nodes count up from it, workers from first_vm_id + 10."
  default     = 9100

  validation {
    condition     = var.first_vm_id >= 100 && var.first_vm_id <= 999999000 && floor(var.first_vm_id) == var.first_vm_id
    error_message = "first_vm_id must be a whole number from 100 to 999999000."
  }
}

# ---------------------------------------------------------------------------
# Cluster shape
# ---------------------------------------------------------------------------

variable "cluster_name" {
  type        = string
  description = "Prefix of every VM name and tag, e.g. memelab -> memelab-cp-1, memelab-w-1."
  default     = "memelab"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,20}[a-z0-9]$", var.cluster_name))
    error_message = "cluster_name must be 2-22 characters of lower-case letters, digits and dashes, starting with a letter."
  }
}

variable "control_plane" {
  type = object({
    count     = number
    cores     = number
    memory_mb = number
    disk_gb   = number
  })
  description = "Control-plane nodes: how many (1, 3 or 5 for an etcd quorum), vCPUs, memory in MiB and disk in GiB each."
  default = {
    count     = 1
    cores     = 2
    memory_mb = 4096
    disk_gb   = 40
  }

  validation {
    condition     = contains([1, 3, 5], var.control_plane.count)
    error_message = "control_plane.count must be 1, 3 or 5 (an odd etcd quorum)."
  }
  validation {
    condition     = var.control_plane.cores >= 2 && var.control_plane.cores <= 64
    error_message = "control_plane.cores must be 2-64: kubeadm refuses a control plane with fewer than 2 CPUs."
  }
  validation {
    condition     = var.control_plane.memory_mb >= 2048 && var.control_plane.memory_mb <= 262144
    error_message = "control_plane.memory_mb must be 2048-262144: kubeadm needs about 1700 MiB on a control-plane node."
  }
  validation {
    condition     = var.control_plane.disk_gb >= 20 && var.control_plane.disk_gb <= 2048
    error_message = "control_plane.disk_gb must be 20-2048."
  }
}

variable "workers" {
  type = object({
    count     = number
    cores     = number
    memory_mb = number
    disk_gb   = number
  })
  description = "Worker nodes: how many, vCPUs, memory in MiB and disk in GiB each (the disk also holds local-path volumes)."
  default = {
    count     = 2
    cores     = 4
    memory_mb = 8192
    disk_gb   = 60
  }

  validation {
    condition     = var.workers.count >= 0 && var.workers.count <= 9 && floor(var.workers.count) == var.workers.count
    error_message = "workers.count must be a whole number from 0 to 9 (0 runs workloads on the control plane)."
  }
  validation {
    condition     = var.workers.cores >= 1 && var.workers.cores <= 64
    error_message = "workers.cores must be 1-64."
  }
  validation {
    condition     = var.workers.memory_mb >= 2048 && var.workers.memory_mb <= 262144
    error_message = "workers.memory_mb must be 2048-262144."
  }
  validation {
    condition     = var.workers.disk_gb >= 20 && var.workers.disk_gb <= 4096
    error_message = "workers.disk_gb must be 20-4096."
  }
}

# ---------------------------------------------------------------------------
# Network
# ---------------------------------------------------------------------------

variable "network_bridge" {
  type        = string
  description = "Proxmox bridge the nodes' NIC is attached to."
  default     = "vmbr0"

  validation {
    condition     = can(regex("^vmbr[0-9]{1,4}$|^[A-Za-z][A-Za-z0-9]{0,7}$", var.network_bridge))
    error_message = "network_bridge must be a bridge name such as vmbr0 (or an SDN VNet name)."
  }
}

variable "vlan_id" {
  type        = number
  description = "VLAN tag of the nodes' NIC; null for an untagged port."
  default     = null

  validation {
    condition     = var.vlan_id == null || (try(var.vlan_id >= 1 && var.vlan_id <= 4094, false))
    error_message = "vlan_id must be 1-4094, or null for no tag."
  }
}

variable "ipv4_mode" {
  type        = string
  description = "static: nodes get addresses counted from node_network_cidr; dhcp: the DHCP server decides and the guest agent reports them."
  default     = "static"

  validation {
    condition     = contains(["static", "dhcp"], var.ipv4_mode)
    error_message = "ipv4_mode must be static or dhcp."
  }
}

variable "node_network_cidr" {
  type        = string
  description = "The nodes' subnet, kept apart from other devices on the LAN (an address clash with another device stops SSH to that node)."
  default     = "192.168.10.0/24"

  validation {
    condition     = can(cidrhost(var.node_network_cidr, 0)) && can(regex("^[0-9.]+/[0-9]+$", var.node_network_cidr))
    error_message = "node_network_cidr must be an IPv4 CIDR such as 192.168.10.0/24."
  }
}

variable "node_gateway" {
  type        = string
  description = "Default gateway of the nodes in static mode."
  default     = "192.168.10.1"

  validation {
    condition     = can(regex("^((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])$", var.node_gateway))
    error_message = "node_gateway must be an IPv4 address."
  }
}

variable "control_plane_first_host" {
  type        = number
  description = "Host number in node_network_cidr of the first control-plane node in static mode (10 -> .10, .11, ...)."
  default     = 10

  validation {
    condition     = var.control_plane_first_host >= 2 && var.control_plane_first_host <= 250
    error_message = "control_plane_first_host must be 2-250."
  }
}

variable "worker_first_host" {
  type        = number
  description = "Host number in node_network_cidr of the first worker in static mode (20 -> .20, .21, ...)."
  default     = 20

  validation {
    condition     = var.worker_first_host >= 2 && var.worker_first_host <= 250
    error_message = "worker_first_host must be 2-250."
  }
}

variable "dns_servers" {
  type        = list(string)
  description = "DNS resolvers of the nodes in static mode."
  default     = ["192.168.10.1"]

  validation {
    condition     = length(var.dns_servers) >= 1 && alltrue([for s in var.dns_servers : can(regex("^[0-9.]+$|^[0-9a-fA-F:]+$", s))])
    error_message = "dns_servers must list at least one IP address."
  }
}

variable "search_domain" {
  type        = string
  description = "DNS search domain of the nodes."
  default     = "home.arpa"

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$", var.search_domain))
    error_message = "search_domain must be a DNS domain such as home.arpa."
  }
}

variable "metallb_address_range" {
  type        = string
  description = "Addresses MetalLB hands to LoadBalancer services (L2 mode), FIRST-LAST on the nodes' subnet and outside the DHCP pool, e.g. 192.168.10.240-192.168.10.250."
  default     = "192.168.10.240-192.168.10.250"

  validation {
    condition     = can(regex("^([0-9]{1,3}\\.){3}[0-9]{1,3}-([0-9]{1,3}\\.){3}[0-9]{1,3}$", var.metallb_address_range))
    error_message = "metallb_address_range must be FIRST-LAST IPv4 addresses, e.g. 192.168.10.240-192.168.10.250."
  }
}

# ---------------------------------------------------------------------------
# Guest OS
# ---------------------------------------------------------------------------

variable "vm_user" {
  type        = string
  description = "Login user cloud-init creates on every node (sudo without password, SSH keys only); Ansible connects as this user."
  default     = "kube"

  validation {
    condition     = can(regex("^[a-z_][a-z0-9_-]{0,31}$", var.vm_user)) && !contains(["root", "admin"], var.vm_user)
    error_message = "vm_user must be a POSIX user name other than root or admin."
  }
}

variable "ssh_public_keys" {
  type        = list(string)
  description = "SSH public keys allowed to log in as vm_user (the public half only, one key a line as in authorized_keys)."

  validation {
    condition     = length(var.ssh_public_keys) > 0
    error_message = "ssh_public_keys must hold at least one key: the nodes accept no password over SSH."
  }
  validation {
    condition     = alltrue([for k in var.ssh_public_keys : can(regex("^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\\.com|sk-ecdsa-sha2-nistp256@openssh\\.com) [A-Za-z0-9+/=]+( .*)?$", k))])
    error_message = "every entry of ssh_public_keys must be an OpenSSH public key (ssh-ed25519 AAAA... comment); never a private key."
  }
}

variable "timezone" {
  type        = string
  description = "Time zone of the nodes (an IANA name)."
  default     = "Etc/UTC"

  validation {
    condition     = can(regex("^[A-Za-z_]+(/[A-Za-z0-9_+-]+){0,2}$", var.timezone))
    error_message = "timezone must be an IANA time zone name such as Europe/Berlin."
  }
}

variable "extra_packages" {
  type        = list(string)
  description = "Debian packages cloud-init installs on first boot besides qemu-guest-agent and the basics."
  default     = []

  validation {
    condition     = alltrue([for p in var.extra_packages : can(regex("^[a-z0-9][a-z0-9+.-]+$", p))])
    error_message = "extra_packages must be Debian package names."
  }
}

variable "tags" {
  type        = list(string)
  description = "Proxmox tags put on every VM besides the cluster name and the node's role."
  default     = ["kubernetes"]

  validation {
    condition     = alltrue([for t in var.tags : can(regex("^[a-z0-9_-]+$", t))])
    error_message = "tags must be lower-case words (letters, digits, dashes, underscores)."
  }
}

variable "inventory_path" {
  type        = string
  description = "Where the Ansible inventory is written, relative to this folder."
  default     = "../ansible/inventory/hosts.ini"

  validation {
    condition     = endswith(var.inventory_path, ".ini") && !startswith(var.inventory_path, "/")
    error_message = "inventory_path must be a relative path to an .ini file."
  }
}
