locals {
  prefix_length = split("/", var.node_network_cidr)[1]

  control_plane_nodes = {
    for i in range(var.control_plane.count) : format("%s-cp-%d", var.cluster_name, i + 1) => {
      role      = "control_plane"
      vm_id     = var.first_vm_id + i
      cores     = var.control_plane.cores
      memory_mb = var.control_plane.memory_mb
      disk_gb   = var.control_plane.disk_gb
      static_ip = cidrhost(var.node_network_cidr, var.control_plane_first_host + i)
    }
  }

  worker_nodes = {
    for i in range(var.workers.count) : format("%s-w-%d", var.cluster_name, i + 1) => {
      role      = "worker"
      vm_id     = var.first_vm_id + 10 + i
      cores     = var.workers.cores
      memory_mb = var.workers.memory_mb
      disk_gb   = var.workers.disk_gb
      static_ip = cidrhost(var.node_network_cidr, var.worker_first_host + i)
    }
  }

  nodes = merge(local.control_plane_nodes, local.worker_nodes)

  # In DHCP mode the address is the first non-loopback one the guest agent reports.
  node_ips = {
    for name, node in local.nodes : name => (
      var.ipv4_mode == "static"
      ? node.static_ip
      : try([for a in flatten(proxmox_virtual_environment_vm.node[name].ipv4_addresses) : a if !startswith(a, "127.")][0], "")
    )
  }

  # Everything the inventory template reads; each key is also an output of the same name.
  inventory_vars = {
    control_plane          = { for name in keys(local.control_plane_nodes) : name => local.node_ips[name] }
    workers                = { for name in keys(local.worker_nodes) : name => local.node_ips[name] }
    ansible_user           = var.vm_user
    metallb_address_range  = var.metallb_address_range
    control_plane_endpoint = "${local.node_ips[keys(local.control_plane_nodes)[0]]}:6443"
  }
}

# The cloud image, downloaded by the Proxmox node itself into the datastore.
resource "proxmox_virtual_environment_download_file" "cloud_image" {
  node_name          = var.proxmox_node
  datastore_id       = var.image_datastore_id
  content_type       = "import"
  url                = var.cloud_image.url
  file_name          = var.cloud_image.file_name
  checksum           = var.cloud_image.checksum
  checksum_algorithm = var.cloud_image.checksum == null ? null : "sha512"
  # A new upstream build of a "latest" image must not replace the template under running clones.
  overwrite      = false
  upload_timeout = 1800
}

# Console password of vm_user (SSH accepts keys only): for the Proxmox console when the
# network is down. Read it with `terraform output -raw vm_console_password`.
resource "random_password" "console" {
  length  = 24
  special = false
}

# One user-data snippet per node: custom user data replaces the one Proxmox generates, so
# the host name has to be in it.
resource "proxmox_virtual_environment_file" "user_data" {
  for_each = local.nodes

  node_name    = var.proxmox_node
  datastore_id = var.snippets_datastore_id
  content_type = "snippets"

  source_raw {
    file_name = "${each.key}-user-data.yaml"
    data = templatefile("${path.module}/templates/user-data.yaml.tftpl", {
      hostname        = each.key
      fqdn            = "${each.key}.${var.search_domain}"
      user            = var.vm_user
      password_hash   = random_password.console.bcrypt_hash
      ssh_public_keys = var.ssh_public_keys
      timezone        = var.timezone
      packages        = concat(["qemu-guest-agent", "ca-certificates", "curl", "gnupg", "python3", "python3-apt"], var.extra_packages)
    })
  }
}

# The template: the cloud image imported as the boot disk, the QEMU guest agent on, a
# serial console (cloud images print their boot log there), SeaBIOS and virtio.
resource "proxmox_virtual_environment_vm" "template" {
  name        = "${var.cluster_name}-template"
  description = "Cloud-init template for the ${var.cluster_name} Kubernetes nodes. Managed by Terraform."
  node_name   = var.proxmox_node
  vm_id       = var.template_vm_id
  tags        = concat(var.tags, [var.cluster_name, "template"])
  template    = true
  started     = false

  machine       = "q35"
  bios          = "seabios"
  scsi_hardware = "virtio-scsi-single"

  agent {
    enabled = true
  }

  cpu {
    cores = 2
    type  = "x86-64-v2-AES"
  }

  memory {
    dedicated = 2048
  }

  disk {
    datastore_id = var.vm_datastore_id
    import_from  = proxmox_virtual_environment_download_file.cloud_image.id
    interface    = "scsi0"
    iothread     = true
    discard      = "on"
    ssd          = true
    size         = 10
  }

  initialization {
    datastore_id = var.vm_datastore_id
    ip_config {
      ipv4 {
        address = "dhcp"
      }
    }
  }

  network_device {
    bridge  = var.network_bridge
    vlan_id = var.vlan_id
  }

  operating_system {
    type = "l26"
  }

  serial_device {}

  vga {
    type = "serial0"
  }
}

# The nodes: full clones of the template, each with its own user data and address.
resource "proxmox_virtual_environment_vm" "node" {
  for_each = local.nodes

  name        = each.key
  description = "Kubernetes ${each.value.role} node of ${var.cluster_name}. Managed by Terraform."
  node_name   = var.proxmox_node
  vm_id       = each.value.vm_id
  tags        = concat(var.tags, [var.cluster_name, replace(each.value.role, "_", "-")])
  on_boot     = true
  started     = true

  machine       = "q35"
  bios          = "seabios"
  scsi_hardware = "virtio-scsi-single"

  clone {
    vm_id   = proxmox_virtual_environment_vm.template.vm_id
    full    = true
    retries = 3
  }

  # Without the agent running in the guest, Terraform waits for an address that never
  # comes: the user data installs and starts qemu-guest-agent on first boot.
  agent {
    enabled = true
    timeout = "15m"
  }

  cpu {
    cores = each.value.cores
    type  = "x86-64-v2-AES"
  }

  # No ballooning: the kubelet plans with the memory it sees at start.
  memory {
    dedicated = each.value.memory_mb
  }

  disk {
    datastore_id = var.vm_datastore_id
    interface    = "scsi0"
    iothread     = true
    discard      = "on"
    ssd          = true
    size         = each.value.disk_gb
  }

  initialization {
    datastore_id = var.vm_datastore_id

    dns {
      domain  = var.search_domain
      servers = var.ipv4_mode == "static" ? var.dns_servers : null
    }

    ip_config {
      ipv4 {
        address = var.ipv4_mode == "static" ? "${each.value.static_ip}/${local.prefix_length}" : "dhcp"
        gateway = var.ipv4_mode == "static" ? var.node_gateway : null
      }
    }

    user_data_file_id = proxmox_virtual_environment_file.user_data[each.key].id
  }

  network_device {
    bridge  = var.network_bridge
    vlan_id = var.vlan_id
  }

  operating_system {
    type = "l26"
  }

  serial_device {}

  vga {
    type = "serial0"
  }
}

# The Ansible inventory, rendered from the same values the outputs show.
resource "local_file" "ansible_inventory" {
  filename        = "${path.module}/${var.inventory_path}"
  file_permission = "0644"
  content         = templatefile("${path.module}/templates/inventory.ini.tftpl", local.inventory_vars)
}
