terraform {
  required_version = ">= 1.9.0, < 2.0.0"

  required_providers {
    # bpg/proxmox: the provider that talks to the Proxmox VE API (and over SSH for snippets).
    proxmox = {
      source  = "bpg/proxmox"
      version = "0.111.1"
    }
    # Writes the Ansible inventory rendered from this configuration's outputs.
    local = {
      source  = "hashicorp/local"
      version = "2.5.3"
    }
    # The console password of the VM user: generated here, never typed into a file.
    random = {
      source  = "hashicorp/random"
      version = "3.7.2"
    }
  }
}
