from django.apps import AppConfig


class StmConfig(AppConfig):
    name = "modules.stm"
    label = "stm"
    verbose_name = "Nhiệm vụ KH&CN"

    def ready(self) -> None:
        from modules.engine import jobs
        from modules.reminders import sources

        from .cancellation import cancel_missed_steps
        from .reminder_source import DOSSIER_STEPS

        sources.register(DOSSIER_STEPS)
        from .cancellation_reminders import CANCELLATION_NOTICE  # §7.11: the notice within 7 days

        sources.register(CANCELLATION_NOTICE)
        from .contract_reminders import SOURCES as CONTRACT_SOURCES  # part 2: reports, milestones, acceptance

        for source in CONTRACT_SOURCES:
            sources.register(source)
        # before the reminders (50): a cancelled step is not chased
        jobs.register("stm.cancellation", cancel_missed_steps, order=24)
        # part 2: the national S&T database's channel, and the province's package once a day
        from modules.engine import jobs as part2_jobs

        from . import national_export

        national_export.register_channel()
        part2_jobs.register("stm.national_export", national_export.daily, order=80)
