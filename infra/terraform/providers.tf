# Credentials never appear in this configuration. The API token comes from the
# environment (PROXMOX_VE_API_TOKEN="terraform@pve!provider=<uuid>"), the SSH key that
# uploads the cloud-init snippet from the running ssh-agent (SSH_AUTH_SOCK).
provider "proxmox" {
  endpoint = var.proxmox_endpoint
  insecure = var.proxmox_insecure

  ssh {
    agent    = true
    username = var.proxmox_ssh_username
  }
}
