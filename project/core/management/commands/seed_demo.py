from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from project.core.seed import SeedSizes, reset_demo_data, seed_demo
from project.users.models import User


class Command(BaseCommand):
    help = "Fill the database with deterministic demo data (bulk inserts, with a progress bar)."

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = SeedSizes()
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data.")
        parser.add_argument("--users", type=int, default=defaults.users)
        parser.add_argument("--channels", type=int, default=defaults.channels)
        parser.add_argument("--videos", type=int, default=defaults.videos)
        parser.add_argument("--comments", type=int, default=defaults.comments)
        parser.add_argument("--video-ratings", type=int, default=defaults.video_ratings)
        parser.add_argument("--comment-ratings", type=int, default=defaults.comment_ratings)
        parser.add_argument("--subscriptions", type=int, default=defaults.subscriptions)
        parser.add_argument("--reset", action="store_true", help="Delete all demo tables first.")
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when there are users already."
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options) -> None:
        if options["if_empty"] and User.objects.exists():
            self.stdout.write("Demo data already present; nothing to do.")
            return
        for name in ("users", "channels"):
            if options[name] < 1:
                self.stderr.write(f"--{name} must be at least 1.")
                raise SystemExit(2)
        if options["reset"]:
            reset_demo_data()
        sizes = SeedSizes(
            users=options["users"],
            channels=options["channels"],
            videos=options["videos"],
            comments=options["comments"],
            video_ratings=options["video_ratings"],
            comment_ratings=options["comment_ratings"],
            subscriptions=options["subscriptions"],
        )

        def progress(items, label, total):
            return tqdm(
                items,
                desc=f"{label:>15}",
                total=total,
                unit="row",
                disable=options["no_progress"],
                file=self.stderr,
            )

        seed_demo(sizes=sizes, seed=options["seed"], progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Seeded {sizes} (seed {options['seed']})."))
