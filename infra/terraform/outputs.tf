# The inventory template reads exactly these values (local.inventory_vars), so what
# `terraform output` shows is what Ansible gets.

output "control_plane" {
  description = "Control-plane nodes: VM name -> IPv4 address."
  value       = local.inventory_vars.control_plane
}

output "workers" {
  description = "Worker nodes: VM name -> IPv4 address."
  value       = local.inventory_vars.workers
}

output "ansible_user" {
  description = "User Ansible logs in as on every node."
  value       = local.inventory_vars.ansible_user
}

output "metallb_address_range" {
  description = "Address range MetalLB announces in L2 mode, passed on to Ansible."
  value       = local.inventory_vars.metallb_address_range
}

output "control_plane_endpoint" {
  description = "HOST:PORT of the Kubernetes API (the first control-plane node)."
  value       = local.inventory_vars.control_plane_endpoint
}

output "inventory_file" {
  description = "Path of the Ansible inventory written from these outputs."
  value       = local_file.ansible_inventory.filename
}

output "vm_console_password" {
  description = "Console password of the node user, for the Proxmox console only (SSH takes keys only)."
  value       = random_password.console.result
  sensitive   = true
}
