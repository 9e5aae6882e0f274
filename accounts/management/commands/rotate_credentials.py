from django.core.management.base import BaseCommand

from accounts import services


class Command(BaseCommand):
    help = "Re-encrypt every stored credential with the first key of DRAVO_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        count = services.social_accounts_rotate_encryption()
        self.stdout.write(f"Re-encrypted the credentials of {count} account(s).")
